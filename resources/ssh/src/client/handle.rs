//! An open SFTP file or directory handle that is closed however its user stops: explicitly
//! (awaiting the server's answer) or by being dropped (a reader abandoned by `head -1`), in
//! which case the close is sent from a background task. Servers cap open handles, so a leak
//! would eventually break a long-lived mount.

use mirage_core::FsResult;

use super::Conn;

pub(crate) struct OpenHandle {
    conn: Conn,
    handle: Option<String>,
}

impl OpenHandle {
    pub(crate) fn new(conn: Conn, handle: String) -> Self {
        OpenHandle {
            conn,
            handle: Some(handle),
        }
    }

    pub(crate) fn id(&self) -> &str {
        self.handle.as_deref().unwrap_or_default()
    }

    /// Closes the handle and reports the server's answer.
    pub(crate) async fn close(mut self) -> FsResult<()> {
        match self.handle.take() {
            Some(h) => self
                .conn
                .sftp
                .close(h)
                .await
                .map(|_| ())
                .map_err(|e| self.conn.fail(e)),
            None => Ok(()),
        }
    }
}

impl Drop for OpenHandle {
    fn drop(&mut self) {
        let Some(handle) = self.handle.take() else {
            return;
        };
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            let conn = self.conn.clone();
            rt.spawn(async move {
                let _ = conn.sftp.close(handle).await;
            });
        }
    }
}
