//! A parallel map whose results come back in order, as they are ready: `check` lints
//! documents on every core while the calling thread writes each report the moment
//! all before it are written. The calling thread works too: it hands over whatever
//! is ready, in order, then takes an item itself, and sleeps only when the next
//! result is another thread's and there is nothing it may take (a thread switch per
//! item cost more than the rest of the bookkeeping together). Items are taken in
//! order, and none is started more than `window` past the oldest result not yet
//! handed over, so what waits in memory is bounded by the window, not by the number
//! of items.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

struct State<R> {
    /// The next item to take.
    next: usize,
    /// Results handed to the sink so far.
    handed: usize,
    /// Finished, not yet handed over.
    ready: BTreeMap<usize, R>,
    /// The sink failed: take nothing more.
    stop: bool,
    /// The calling thread waits for the next result.
    caller_waits: bool,
    /// Helpers wait for the window to move.
    helpers_wait: usize,
}

impl<R> State<R> {
    /// The next item, if one is left and the window allows it.
    fn take(&mut self, n: usize, window: usize) -> Option<usize> {
        (!self.stop && self.next < n && self.next < self.handed + window).then(|| {
            self.next += 1;
            self.next - 1
        })
    }
}

/// `f` over `items` on `threads` threads (the caller's among them); `sink` gets the
/// results in the items' order, on the calling thread. An error from `sink` stops the
/// work (items not yet started are dropped) and is returned.
pub fn map_in_order<T, R, E>(
    items: Vec<T>,
    threads: usize,
    window: usize,
    f: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let n = items.len();
    let window = window.max(1);
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let run = |i: usize| lock(&slots[i]).take().map(&f);
    let state = Mutex::new(State {
        next: 0,
        handed: 0,
        ready: BTreeMap::new(),
        stop: false,
        caller_waits: false,
        helpers_wait: 0,
    });
    // Signalled when a result is ready (for the caller) and when the window moves or
    // the work stops (for the helpers).
    let result_ready = Condvar::new();
    let window_moved = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 1..threads.clamp(1, n.max(1)) {
            let (state, result_ready, window_moved, run) =
                (&state, &result_ready, &window_moved, &run);
            scope.spawn(move || loop {
                let i = {
                    let mut st = lock(state);
                    loop {
                        if st.stop || st.next >= n {
                            return;
                        }
                        if let Some(i) = st.take(n, window) {
                            break i;
                        }
                        st.helpers_wait += 1;
                        st = window_moved.wait(st).unwrap_or_else(|p| p.into_inner());
                        st.helpers_wait -= 1;
                    }
                };
                if let Some(r) = run(i) {
                    let mut st = lock(state);
                    st.ready.insert(i, r);
                    if st.caller_waits && i == st.handed {
                        result_ready.notify_one();
                    }
                }
            });
        }
        let stop = |st: &mut State<R>| {
            st.stop = true;
            window_moved.notify_all();
        };
        loop {
            // Hand over what is ready, in order.
            loop {
                let next = {
                    let mut st = lock(&state);
                    let h = st.handed;
                    let r = st.ready.remove(&h);
                    if r.is_some() {
                        st.handed += 1;
                        if st.helpers_wait > 0 {
                            window_moved.notify_all();
                        }
                    }
                    r
                };
                let Some(r) = next else { break };
                if let Err(e) = sink(r) {
                    stop(&mut lock(&state));
                    return Err(e);
                }
            }
            let mut st = lock(&state);
            if st.handed >= n {
                return Ok(());
            }
            if let Some(i) = st.take(n, window) {
                drop(st);
                if let Some(r) = run(i) {
                    lock(&state).ready.insert(i, r);
                }
                continue;
            }
            // Nothing to take: the next result is a helper's.
            while !st.ready.contains_key(&st.handed) {
                st.caller_waits = true;
                st = result_ready.wait(st).unwrap_or_else(|p| p.into_inner());
            }
            st.caller_waits = false;
        }
    })
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// The results, in the order the sink got them.
    fn run(
        n: usize,
        threads: usize,
        window: usize,
        delay: impl Fn(usize) -> u64 + Sync,
    ) -> Vec<usize> {
        let mut got = Vec::new();
        let r: Result<(), ()> = map_in_order(
            (0..n).collect(),
            threads,
            window,
            |i| {
                std::thread::sleep(Duration::from_micros(delay(i)));
                i * 10
            },
            |r| {
                got.push(r);
                Ok(())
            },
        );
        assert!(r.is_ok());
        got
    }

    #[test]
    fn results_come_in_order_whatever_order_they_finish_in() {
        // Even items are slow, so odd ones finish first.
        let got = run(200, 4, 16, |i| if i % 2 == 0 { 300 } else { 0 });
        assert_eq!(got, (0..200).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(run(0, 4, 16, |_| 0), Vec::<usize>::new());
        assert_eq!(run(3, 1, 1, |_| 0), vec![0, 10, 20]);
    }

    #[test]
    fn no_item_starts_more_than_a_window_ahead() {
        let handed = AtomicUsize::new(0);
        let ahead = AtomicUsize::new(0);
        let r: Result<(), ()> = map_in_order(
            (0..300).collect::<Vec<usize>>(),
            4,
            8,
            |i| {
                // How far ahead of the sink this item starts.
                ahead.fetch_max(
                    i.saturating_sub(handed.load(Ordering::SeqCst)),
                    Ordering::SeqCst,
                );
                // The first item is slow: everything after it waits in memory.
                std::thread::sleep(Duration::from_micros(if i == 0 { 20_000 } else { 50 }));
                i
            },
            |_| {
                handed.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(handed.load(Ordering::SeqCst), 300);
        // The window counts from the oldest result not yet handed over; the sink's
        // own count can lag that by the one result it is being given.
        assert!(
            ahead.load(Ordering::SeqCst) <= 8,
            "{}",
            ahead.load(Ordering::SeqCst)
        );
    }

    #[test]
    fn a_failing_sink_stops_the_work() {
        let started = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let r = map_in_order(
            (0..10_000).collect::<Vec<usize>>(),
            4,
            32,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                seen.push(i);
                if i == 5 {
                    Err("stop")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("stop"));
        assert_eq!(seen, vec![0, 1, 2, 3, 4, 5]);
        assert!(started.load(Ordering::SeqCst) < 6 + 32 + 4);
    }
}
