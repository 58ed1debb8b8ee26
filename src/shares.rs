//! Work split across cores: a slice cut into equal shares, each share on a thread of its own.

/// `f` on each of up to `threads` equal shares of `items`, each on its own thread (a lone share
/// on the calling thread); the results in the order of the shares, none for no items.
pub(crate) fn in_shares<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let share = items.len().div_ceil(threads.max(1)).max(1);
    if items.len() <= share {
        return if items.is_empty() {
            vec![]
        } else {
            vec![f(items)]
        };
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(share)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// `a` and `b` at the same time, `a` on a thread of its own, when the library may use more
/// than one thread ([`crate::threads`]); one after the other on the calling thread otherwise
/// (a browser has no threads).
///
/// The results do not depend on which: the two must not share anything they change.
pub(crate) fn both<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    if crate::threads() <= 1 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|scope| {
        let handle = scope.spawn(a);
        let b = b();
        let a = handle
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_gives_each_result_in_place_at_any_thread_count() {
        for n in [1, 2] {
            crate::set_threads(n);
            let data = [1u32, 2, 3];
            let (sum, max) = both(|| data.iter().sum::<u32>(), || data.iter().max().copied());
            assert_eq!((sum, max), (6, Some(3)));
        }
        crate::set_threads(0);
    }

    #[test]
    fn in_shares_keeps_the_order_of_the_shares() {
        let items: Vec<u32> = (0..10).collect();
        let sums = in_shares(&items, 3, |s| s.iter().sum::<u32>());
        assert_eq!(sums.iter().sum::<u32>(), 45);
        assert_eq!(sums[0], 6, "the first share is 0, 1, 2 and 3");
        assert!(in_shares::<u32, u32>(&[], 4, |_| 1).is_empty());
    }
}
