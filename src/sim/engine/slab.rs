//! Storage for live requests with generation-checked references, so memory follows what is in
//! flight and an old reference to a reused slot is recognised as stale.

use crate::sim::prefetch::prefetch;

/// A reference: generation in the high 32 bits, slot in the low 32.
pub type Ref = u64;

#[derive(Clone, Debug)]
struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

#[derive(Clone, Debug)]
pub struct Slab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { slots: Vec::new(), free: Vec::new() }
    }
}

impl<T> Slab<T> {
    pub fn insert(&mut self, value: T) -> Ref {
        match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                slot.value = Some(value);
                (u64::from(slot.generation) << 32) | u64::from(index)
            }
            None => {
                self.slots.push(Slot { generation: 0, value: Some(value) });
                (self.slots.len() - 1) as u64
            }
        }
    }

    fn slot(&self, r: Ref) -> Option<&Slot<T>> {
        self.slots.get((r & 0xFFFF_FFFF) as usize).filter(|s| u64::from(s.generation) == r >> 32)
    }

    pub fn get(&self, r: Ref) -> Option<&T> {
        self.slot(r)?.value.as_ref()
    }

    pub fn get_mut(&mut self, r: Ref) -> Option<&mut T> {
        let slot = self.slots.get_mut((r & 0xFFFF_FFFF) as usize)?;
        if u64::from(slot.generation) != r >> 32 {
            return None;
        }
        slot.value.as_mut()
    }

    /// Starts loading the slot `r` names, for a read soon.
    #[inline]
    pub fn prefetch(&self, r: Ref) {
        if let Some(slot) = self.slots.get((r & 0xFFFF_FFFF) as usize) {
            prefetch(slot);
        }
    }

    pub fn remove(&mut self, r: Ref) -> Option<T> {
        let index = (r & 0xFFFF_FFFF) as usize;
        let slot = self.slots.get_mut(index)?;
        if u64::from(slot.generation) != r >> 32 {
            return None;
        }
        let value = slot.value.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(index as u32);
        Some(value)
    }

    pub fn footprint_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot<T>>() + self.free.capacity() * 4
    }
}
