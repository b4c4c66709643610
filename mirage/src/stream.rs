//! Output of a line as a stream of events, delivered while the line runs.

use futures::future::{BoxFuture, OptionFuture};
use futures::{Stream, StreamExt};
use tokio::io::{AsyncReadExt, DuplexStream};

/// One piece of a running line's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputEvent {
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
    /// Always the last event.
    Exit(i32),
}

const CHUNK: usize = 64 * 1024;

struct Pump<'a> {
    run: Option<BoxFuture<'a, i32>>,
    out: Option<DuplexStream>,
    err: Option<DuplexStream>,
    status: i32,
    done: bool,
}

/// Drives `run` (which writes into the other ends of `out` and `err`) and yields what arrives.
pub(crate) fn pump<'a>(
    run: BoxFuture<'a, i32>,
    out: DuplexStream,
    err: DuplexStream,
) -> impl Stream<Item = OutputEvent> + 'a {
    let state = Pump {
        run: Some(run),
        out: Some(out),
        err: Some(err),
        status: 0,
        done: false,
    };
    futures::stream::unfold(state, |mut s| async move {
        loop {
            if s.run.is_none() && s.out.is_none() && s.err.is_none() {
                if s.done {
                    return None;
                }
                s.done = true;
                let status = s.status;
                return Some((OutputEvent::Exit(status), s));
            }
            let mut out_buf = vec![0u8; CHUNK];
            let mut err_buf = vec![0u8; CHUNK];
            let has = (s.run.is_some(), s.out.is_some(), s.err.is_some());
            let run = OptionFuture::from(s.run.as_mut());
            let out = OptionFuture::from(s.out.as_mut().map(|r| r.read(&mut out_buf)));
            let err = OptionFuture::from(s.err.as_mut().map(|r| r.read(&mut err_buf)));
            tokio::select! {
                Some(status) = run, if has.0 => {
                    s.status = status;
                    s.run = None;
                }
                Some(n) = out, if has.1 => match n {
                    Ok(n) if n > 0 => return Some((OutputEvent::Stdout(out_buf[..n].to_vec()), s)),
                    _ => s.out = None,
                },
                Some(n) = err, if has.2 => match n {
                    Ok(n) if n > 0 => return Some((OutputEvent::Stderr(err_buf[..n].to_vec()), s)),
                    _ => s.err = None,
                },
            }
        }
    })
    .boxed()
}
