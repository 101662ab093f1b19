//! A hint to the processor to bring a value into its nearest cache before it is read: issued where
//! the engine knows early which table entry a later event will read. It changes no result, and
//! does nothing on a target without such an instruction (WebAssembly).

/// Starts loading `value`'s cache line.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    // SAFETY: a prefetch reads nothing into the program and cannot fault, and SSE, which it needs,
    // is part of every x86-64 target.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>((value as *const T).cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
