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
