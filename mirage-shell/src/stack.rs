//! Deep nesting (shell functions calling functions, nested subshells, awk recursion) polls deeply nested
//! futures. Rather than let a deep but legal script overflow whatever stack the embedding
//! runtime gave us, each nesting level polls its child on a freshly grown stack segment when
//! the current one runs low.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::future::BoxFuture;

/// Stack that must remain before polling a nested level; below it a new segment is used.
const RED_ZONE: usize = 256 * 1024;
/// Size of each new segment.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Polls `inner` with at least [`RED_ZONE`] bytes of stack available.
pub struct GrowStack<'a, T> {
    inner: BoxFuture<'a, T>,
}

impl<T> Future for GrowStack<'_, T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let inner = &mut self.inner;
        stacker::maybe_grow(RED_ZONE, SEGMENT, || inner.as_mut().poll(cx))
    }
}

pub fn grow<'a, T>(inner: BoxFuture<'a, T>) -> BoxFuture<'a, T>
where
    T: Send + 'a,
{
    Box::pin(GrowStack { inner })
}
