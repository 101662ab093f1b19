//! A hint to the processor to bring a value into its nearest cache before it is read: issued where
//! the engine knows early which table entry a later event will read. It changes no result. It is
//! issued on x86-64 only; elsewhere (WebAssembly among them) it does nothing.

/// Starts loading `value`'s cache line.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    // SAFETY: a prefetch reads nothing into the program and cannot fault, and every x86-64
    // processor has SSE, which it needs.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>((value as *const T).cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
