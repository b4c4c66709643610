//! The streaming half that `base64` and `base32` share: whole input groups are encoded as the
//! bytes arrive, the last partial group (with its `=` padding) at the end, and the text is
//! wrapped at a column as GNU does (a final newline only when wrapping).

use mirage_core::{CommandContext, Reader};
use tokio::io::AsyncBufReadExt;

/// Encodes everything `reader` yields in groups of `group` bytes with `encode_group`, wrapping
/// the output at `wrap` columns (0 = never).
pub async fn encode_stream(
    ctx: &mut CommandContext,
    reader: &mut Reader,
    wrap: usize,
    group: usize,
    encode_group: fn(&[u8], &mut Vec<u8>),
) -> std::io::Result<()> {
    let mut pending: Vec<u8> = Vec::new();
    let mut col = 0;
    let mut text = Vec::new();
    let mut out = Vec::new();
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            break;
        }
        pending.extend_from_slice(chunk);
        let n = chunk.len();
        reader.consume(n);
        let whole = pending.len() / group * group;
        text.clear();
        for g in pending[..whole].chunks(group) {
            encode_group(g, &mut text);
        }
        pending.drain(..whole);
        out.clear();
        wrap_into(&text, wrap, &mut col, &mut out);
        ctx.stdout.write_all(&out).await?;
    }
    text.clear();
    if !pending.is_empty() {
        encode_group(&pending, &mut text);
    }
    out.clear();
    wrap_into(&text, wrap, &mut col, &mut out);
    if wrap > 0 && col > 0 {
        out.push(b'\n');
    }
    ctx.stdout.write_all(&out).await
}

/// Appends encoded text to `out`, wrapping at `wrap` (0 = never) with `col` the current column.
fn wrap_into(text: &[u8], wrap: usize, col: &mut usize, out: &mut Vec<u8>) {
    for &c in text {
        if wrap > 0 && *col == wrap {
            out.push(b'\n');
            *col = 0;
        }
        out.push(c);
        *col += 1;
    }
}
