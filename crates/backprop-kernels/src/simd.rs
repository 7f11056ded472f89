//! `F4`, four f32 lanes: WebAssembly SIMD (f32x4) on wasm32, SSE (part of every x86-64) for
//! native builds there, and a plain `[f32; 4]` elsewhere. The kernels are written once against
//! it, and every path multiplies and adds in the same order (never fused), except the wasm
//! build with relaxed SIMD (`+relaxed-simd`, the page's "fused multiply-add" setting), whose
//! multiply-adds the engine may fuse: faster where the CPU has FMA, rounded once instead of
//! twice, so its results differ from the other builds' and between computers.

#[cfg(target_arch = "wasm32")]
mod imp {
    #[cfg(target_feature = "relaxed-simd")]
    use core::arch::wasm32::f32x4_relaxed_madd;
    use core::arch::wasm32::{
        f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_splat, v128, v128_load, v128_load32_splat,
        v128_store,
    };

    #[derive(Clone, Copy)]
    pub struct F4(v128);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4(f32x4_splat(x))
        }

        /// Four copies of `*x`, in one load instruction (a broadcast load on x86).
        #[inline(always)]
        pub fn load_splat(x: &f32) -> F4 {
            // SAFETY: `x` is 4 readable bytes.
            F4(unsafe { v128_load32_splat((x as *const f32).cast()) })
        }

        #[inline(always)]
        pub fn load(s: &[f32; 4]) -> F4 {
            // SAFETY: `s` is 16 readable bytes; v128_load has no alignment requirement.
            F4(unsafe { v128_load(s.as_ptr().cast()) })
        }

        #[inline(always)]
        pub fn store(self, s: &mut [f32; 4]) {
            // SAFETY: `s` is 16 writable bytes; v128_store has no alignment requirement.
            unsafe { v128_store(s.as_mut_ptr().cast(), self.0) }
        }

        /// self + x·y: a multiply, then an add (WebAssembly SIMD has no fused multiply-add)
        #[cfg(not(target_feature = "relaxed-simd"))]
        #[inline(always)]
        pub fn mul_add(self, x: F4, y: F4) -> F4 {
            F4(f32x4_add(self.0, f32x4_mul(x.0, y.0)))
        }

        /// self + x·y, fused or not as the engine and CPU choose (relaxed SIMD)
        #[cfg(target_feature = "relaxed-simd")]
        #[inline(always)]
        pub fn mul_add(self, x: F4, y: F4) -> F4 {
            F4(f32x4_relaxed_madd(x.0, y.0, self.0))
        }

        #[inline(always)]
        pub fn mul(self, x: F4) -> F4 {
            F4(f32x4_mul(self.0, x.0))
        }

        #[inline(always)]
        pub fn add(self, x: F4) -> F4 {
            F4(f32x4_add(self.0, x.0))
        }

        /// (l0 + l1) + (l2 + l3)
        #[inline(always)]
        pub fn sum(self) -> f32 {
            (f32x4_extract_lane::<0>(self.0) + f32x4_extract_lane::<1>(self.0))
                + (f32x4_extract_lane::<2>(self.0) + f32x4_extract_lane::<3>(self.0))
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use std::arch::x86_64::{
        __m128, _mm_add_ps, _mm_loadu_ps, _mm_mul_ps, _mm_set1_ps, _mm_storeu_ps,
    };

    #[derive(Clone, Copy)]
    pub struct F4(__m128);

    // SAFETY (every `unsafe` below): SSE is part of the x86-64 baseline, and the loads and
    // stores read or write exactly the 16 or 4 bytes their references cover (unaligned forms).
    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4(unsafe { _mm_set1_ps(x) })
        }

        #[inline(always)]
        pub fn load_splat(x: &f32) -> F4 {
            F4::splat(*x)
        }

        #[inline(always)]
        pub fn load(s: &[f32; 4]) -> F4 {
            F4(unsafe { _mm_loadu_ps(s.as_ptr()) })
        }

        #[inline(always)]
        pub fn store(self, s: &mut [f32; 4]) {
            unsafe { _mm_storeu_ps(s.as_mut_ptr(), self.0) }
        }

        /// self + x·y (a multiply, then an add, as on wasm32)
        #[inline(always)]
        pub fn mul_add(self, x: F4, y: F4) -> F4 {
            F4(unsafe { _mm_add_ps(self.0, _mm_mul_ps(x.0, y.0)) })
        }

        #[inline(always)]
        pub fn mul(self, x: F4) -> F4 {
            F4(unsafe { _mm_mul_ps(self.0, x.0) })
        }

        #[inline(always)]
        pub fn add(self, x: F4) -> F4 {
            F4(unsafe { _mm_add_ps(self.0, x.0) })
        }

        /// (l0 + l1) + (l2 + l3)
        #[inline(always)]
        pub fn sum(self) -> f32 {
            let mut l = [0.0; 4];
            self.store(&mut l);
            (l[0] + l[1]) + (l[2] + l[3])
        }
    }
}

#[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
mod imp {
    #[derive(Clone, Copy)]
    pub struct F4([f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4([x; 4])
        }

        #[inline(always)]
        pub fn load_splat(x: &f32) -> F4 {
            F4([*x; 4])
        }

        #[inline(always)]
        pub fn load(s: &[f32; 4]) -> F4 {
            F4(*s)
        }

        #[inline(always)]
        pub fn store(self, s: &mut [f32; 4]) {
            *s = self.0;
        }

        /// self + x·y (a multiply, then an add, as on wasm32)
        #[inline(always)]
        pub fn mul_add(self, x: F4, y: F4) -> F4 {
            F4(std::array::from_fn(|k| self.0[k] + x.0[k] * y.0[k]))
        }

        #[inline(always)]
        pub fn mul(self, x: F4) -> F4 {
            F4(std::array::from_fn(|k| self.0[k] * x.0[k]))
        }

        #[inline(always)]
        pub fn add(self, x: F4) -> F4 {
            F4(std::array::from_fn(|k| self.0[k] + x.0[k]))
        }

        /// (l0 + l1) + (l2 + l3)
        #[inline(always)]
        pub fn sum(self) -> f32 {
            (self.0[0] + self.0[1]) + (self.0[2] + self.0[3])
        }
    }
}

pub use imp::F4;

/// The four lanes of `s` starting at `at`.
#[inline(always)]
pub fn lanes_mut(s: &mut [f32], at: usize) -> &mut [f32; 4] {
    (&mut s[at..at + 4]).try_into().expect("four lanes")
}
