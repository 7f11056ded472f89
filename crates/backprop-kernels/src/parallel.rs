//! Sharing one training step between threads, without changing a bit of its result.
//!
//! Each kernel's output is cut into chunks of rows and every value is computed exactly as one
//! thread computes it (each output is one sum in one fixed order, see `kernels`), so the
//! weights after a step are the same whatever the number of threads, and whichever thread
//! computed which chunk. Threads come from a [`Pool`]: the caller and the pool's workers take
//! the chunks of each task one at a time until none is left, so a worker that the system has
//! put aside (a busy machine) leaves its share to the others instead of holding everyone up.
//! Between tasks the workers spin a little, then sleep. Natively a pool starts its own threads
//! (`Pool::spawn`); in a browser the page starts Web Workers that share the module's memory and
//! each call [`Pool::work`].

use std::marker::PhantomData;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// The most threads a pool runs (the caller included).
pub const MAX_THREADS: usize = 16;

/// How many times a worker looks for the next task before it sleeps: some tens of
/// microseconds, longer than the gaps between the tasks of one training step.
const SPINS: u32 = 1 << 16;

/// What runs one task on several threads at once.
pub trait Parallel: Sync {
    /// How many threads `run` may use, the caller's included.
    fn threads(&self) -> usize;
    /// Calls `task(chunk, thread)` once for every `chunk < chunks`, on threads numbered below
    /// `threads()` (0 is the caller's; a thread runs one chunk at a time, so per-thread scratch
    /// space may be indexed by it), and returns when every call has returned.
    fn run(&self, chunks: usize, task: &(dyn Fn(usize, usize) + Sync));
}

/// The caller's thread alone.
pub struct OneThread;

impl Parallel for OneThread {
    fn threads(&self) -> usize {
        1
    }

    fn run(&self, chunks: usize, task: &(dyn Fn(usize, usize) + Sync)) {
        for chunk in 0..chunks {
            task(chunk, 0);
        }
    }
}

type Task = *const (dyn Fn(usize, usize) + Sync);

/// The task being run: written only while no worker has joined it (`joined` is zero).
struct Current {
    task: Option<Task>,
    chunks: usize,
}

/// A fixed set of worker threads that take part in every task.
pub struct Pool {
    threads: usize,
    /// Counts tasks: workers look for a new one when it changes.
    epoch: AtomicUsize,
    /// The next chunk of the current task to take, and how many are done.
    next: AtomicUsize,
    done: AtomicUsize,
    /// Workers that joined the current task and may still take chunks of it.
    joined: AtomicUsize,
    /// The current task; locked to join it, and to replace it.
    current: Mutex<Current>,
    /// Workers asleep, and where they sleep.
    sleeping: Mutex<usize>,
    wake: Condvar,
    /// Held by `run`: one task at a time (a task that calls `run` again waits for ever).
    one_task: Mutex<()>,
}

// SAFETY: the task pointer is only used between joining (under `current`'s lock, reading the
// task of the epoch seen) and leaving (`joined` decremented); `run` replaces it only under that
// lock when nobody has joined, and returns only when every chunk is done, so the closure it
// points to outlives every use.
unsafe impl Sync for Pool {}
unsafe impl Send for Pool {}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Pool {
    /// A pool of `threads` threads, the caller's included (1 to [`MAX_THREADS`]). Its
    /// `threads - 1` workers each call [`Pool::work`] with their number, 1 to `threads - 1`;
    /// tasks run (on fewer threads) even while some have not started.
    pub fn new(threads: usize) -> Arc<Pool> {
        Arc::new(Pool {
            threads: threads.clamp(1, MAX_THREADS),
            epoch: AtomicUsize::new(0),
            next: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            joined: AtomicUsize::new(0),
            current: Mutex::new(Current {
                task: None,
                chunks: 0,
            }),
            sleeping: Mutex::new(0),
            wake: Condvar::new(),
            one_task: Mutex::new(()),
        })
    }

    /// A pool whose workers are native threads (`std::thread`), for tests and benchmarks.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn spawn(threads: usize) -> Arc<Pool> {
        let pool = Pool::new(threads);
        for index in 1..pool.threads {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || pool.work(index));
        }
        pool
    }

    /// How many tasks the pool has shared between its threads so far.
    pub fn tasks(&self) -> usize {
        self.epoch.load(Ordering::Relaxed)
    }

    /// Worker `index`'s loop (1 ≤ index < threads): takes chunks of every task, for ever.
    pub fn work(&self, index: usize) -> ! {
        let mut seen = 0;
        loop {
            let epoch = self.next_epoch(seen);
            let (task, chunks) = {
                let current = locked(&self.current);
                if self.epoch.load(Ordering::Acquire) != epoch {
                    continue; // a newer task came meanwhile: look again
                }
                self.joined.fetch_add(1, Ordering::Relaxed);
                (current.task, current.chunks)
            };
            seen = epoch;
            if let Some(task) = task {
                // SAFETY: joined, so `run` keeps the task alive and in place (see `Sync`).
                self.take_chunks(unsafe { &*task }, chunks, index);
            }
            self.joined.fetch_sub(1, Ordering::Release);
        }
    }

    /// Runs chunks of the current task on thread `index` until none is left to take.
    fn take_chunks(&self, task: &(dyn Fn(usize, usize) + Sync), chunks: usize, index: usize) {
        loop {
            let chunk = self.next.fetch_add(1, Ordering::Relaxed);
            if chunk >= chunks {
                return;
            }
            task(chunk, index);
            self.done.fetch_add(1, Ordering::Release);
        }
    }

    /// Waits for an epoch other than `seen`: spinning at first, then asleep.
    fn next_epoch(&self, seen: usize) -> usize {
        for _ in 0..SPINS {
            let epoch = self.epoch.load(Ordering::Acquire);
            if epoch != seen {
                return epoch;
            }
            std::hint::spin_loop();
        }
        let mut sleeping = locked(&self.sleeping);
        loop {
            let epoch = self.epoch.load(Ordering::Acquire);
            if epoch != seen {
                return epoch;
            }
            *sleeping += 1;
            sleeping = self.wake.wait(sleeping).unwrap_or_else(|e| e.into_inner());
            *sleeping -= 1;
        }
    }
}

impl Parallel for Pool {
    fn threads(&self) -> usize {
        self.threads
    }

    fn run(&self, chunks: usize, task: &(dyn Fn(usize, usize) + Sync)) {
        if self.threads == 1 || chunks <= 1 {
            OneThread.run(chunks, task);
            return;
        }
        let _one_at_a_time = locked(&self.one_task);
        loop {
            let mut current = locked(&self.current);
            if self.joined.load(Ordering::Acquire) != 0 {
                // A worker still holds the previous task (it found no chunk left): wait for it.
                drop(current);
                std::hint::spin_loop();
                continue;
            }
            // SAFETY: the lifetime is erased only until this call returns, after every chunk is
            // done; no worker has joined, and none can join until the lock is released.
            current.task =
                Some(unsafe { std::mem::transmute::<&(dyn Fn(usize, usize) + Sync), Task>(task) });
            current.chunks = chunks;
            self.next.store(0, Ordering::Relaxed);
            self.done.store(0, Ordering::Relaxed);
            self.epoch.fetch_add(1, Ordering::Release);
            break;
        }
        if *locked(&self.sleeping) > 0 {
            self.wake.notify_all();
        }
        self.take_chunks(task, chunks, 0);
        while self.done.load(Ordering::Acquire) != chunks {
            std::hint::spin_loop();
        }
    }
}

/// Part `t` of `count` items cut into `parts` ranges of whole `unit`s (the last takes what is
/// left), as even as the units allow.
pub fn part(count: usize, unit: usize, parts: usize, t: usize) -> Range<usize> {
    let units = count.div_ceil(unit);
    let at = |t: usize| (units * t / parts * unit).min(count);
    at(t)..at(t + 1)
}

/// A mutable slice that the chunks of one task write in disjoint parts.
pub struct Shared<'a, T> {
    ptr: *mut T,
    len: usize,
    _slice: PhantomData<&'a mut [T]>,
}

// SAFETY: threads only reach the slice through `part`, whose callers promise disjoint ranges.
unsafe impl<T: Send> Sync for Shared<'_, T> {}

impl<'a, T> Shared<'a, T> {
    pub fn new(slice: &'a mut [T]) -> Self {
        Shared {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _slice: PhantomData,
        }
    }

    /// Elements `range` of the slice.
    ///
    /// # Safety
    /// No two calls that are alive at the same time may have overlapping ranges.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn part(&self, range: Range<usize>) -> &mut [T] {
        assert!(
            range.start <= range.end && range.end <= self.len,
            "a part within the slice"
        );
        // SAFETY: within the slice (checked), which `'a` borrows mutably; disjoint (caller).
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(range.start), range.len()) }
    }

    /// `part(range)`, or nothing for an empty slice.
    ///
    /// # Safety
    /// As for `part`.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn part_or_empty(&self, range: Range<usize>) -> &mut [T] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: passed on to the caller.
        unsafe { self.part(range) }
    }
}
