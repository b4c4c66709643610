//! The Lua scripts behind every operation. Redis runs a script atomically, so each operation
//! checks the tree and changes it in one step, with no other client in between.
//!
//! Every script gets no `KEYS` and the same first argument, the key prefix; it builds the key
//! names itself (fine on a standalone server, which is what this resource supports). A script
//! answers with an array whose first element is `ok` or an errno-like code (`ENOENT`,
//! `ENOTDIR`, `EISDIR`, `EEXIST`, `ENOTEMPTY`, `EINVAL`, `EBUSY`, or `ECONFLICT` / `EGONE` for
//! a write that lost a race). All validation happens before the first change, so a refused
//! operation changes nothing.

/// Helpers shared by every script.
const PRELUDE: &str = r#"
local P = ARGV[1]
local function nk(p) return P .. ':n:' .. p end
local function dk(p) return P .. ':d:' .. p end
local function ck(v, i) return P .. ':c:' .. v .. ':' .. i end
local function meta(p)
  local h = redis.call('HMGET', nk(p), 'kind', 'size', 'mtime', 'version', 'cs', 'chunks',
    'mode')
  if not h[1] then
    if p == '/' then return {kind = 'd', size = '0', mtime = '', version = '', mode = ''} end
    return nil
  end
  return {kind = h[1], size = h[2] or '0', mtime = h[3] or '', version = h[4] or '',
          cs = h[5] or '1', chunks = tonumber(h[6] or '0'), mode = h[7] or ''}
end
local function kind_of(p)
  if p == '/' then return 'd' end
  local k = redis.call('HGET', nk(p), 'kind')
  if not k then return nil end
  return k
end
-- Every ancestor of p must exist and be a directory.
local function check_parent(p)
  local comps = {}
  for c in string.gmatch(p, '[^/]+') do comps[#comps + 1] = c end
  local cur = ''
  for i = 1, #comps - 1 do
    cur = cur .. '/' .. comps[i]
    local k = kind_of(cur)
    if k == nil then return 'ENOENT' end
    if k ~= 'd' then return 'ENOTDIR' end
  end
  return nil
end
local function split(p)
  local i = string.find(p, '/[^/]*$')
  local parent = string.sub(p, 1, i - 1)
  if parent == '' then parent = '/' end
  return parent, string.sub(p, i + 1)
end
local function drop_chunks(m)
  if m and m.kind == 'f' then
    for i = 0, m.chunks - 1 do redis.call('DEL', ck(m.version, i)) end
  end
end
"#;

/// ARGV: prefix, path. Answers `ok kind size mtime version mode`.
const STAT: &str = r#"
local path = ARGV[2]
local e = check_parent(path)
if e then return {e} end
local m = meta(path)
if not m then return {'ENOENT'} end
return {'ok', m.kind, m.size, m.mtime, m.version, m.mode}
"#;

/// ARGV: prefix, path. Answers `ok` then `name kind size mtime version mode` per entry.
const LIST: &str = r#"
local path = ARGV[2]
local e = check_parent(path)
if e then return {e} end
local k = kind_of(path)
if k == nil then return {'ENOENT'} end
if k ~= 'd' then return {'ENOTDIR'} end
local base = path
if base == '/' then base = '' end
local out = {'ok'}
for _, name in ipairs(redis.call('SMEMBERS', dk(path))) do
  local m = meta(base .. '/' .. name)
  if m then
    out[#out + 1] = name
    out[#out + 1] = m.kind
    out[#out + 1] = m.size
    out[#out + 1] = m.mtime
    out[#out + 1] = m.version
    out[#out + 1] = m.mode
  end
end
return out
"#;

/// ARGV: prefix, path, start, end (-1: to the end). Answers `ok version chunk_size start end
/// first_piece`: the range clamped to the file, and the bytes of it held by its first chunk.
const READ: &str = r#"
local path = ARGV[2]
local e = check_parent(path)
if e then return {e} end
local m = meta(path)
if not m then return {'ENOENT'} end
if m.kind ~= 'f' then return {'EISDIR'} end
local size = tonumber(m.size)
local cs = tonumber(m.cs)
local s = math.min(tonumber(ARGV[3]), size)
local en = tonumber(ARGV[4])
if en < 0 then en = size else en = math.min(en, size) end
if en < s then en = s end
if s == en then return {'ok', m.version, cs, s, en, ''} end
local i = math.floor(s / cs)
local off = s - i * cs
local last = math.min(en, (i + 1) * cs) - i * cs - 1
return {'ok', m.version, cs, s, en, redis.call('GETRANGE', ck(m.version, i), off, last)}
"#;

/// ARGV: prefix, path, mode (`t` or `a`). Checks that `path` can be written and allocates the
/// version the new content will be stored under. Answers `ok new_version exists old_version
/// old_size old_chunk_size tail`, where `tail` (append only) is the old last partial chunk.
const WRITE_BEGIN: &str = r#"
local path = ARGV[2]
if path == '/' then return {'EISDIR'} end
local e = check_parent(path)
if e then return {e} end
local m = meta(path)
if m and m.kind == 'd' then return {'EISDIR'} end
local v = tostring(redis.call('INCR', P .. ':seq'))
if not m then return {'ok', v, '0', '', '0', '0', ''} end
local tail = ''
if ARGV[3] == 'a' then
  local size = tonumber(m.size)
  local cs = tonumber(m.cs)
  local full = math.floor(size / cs)
  if size > full * cs then tail = redis.call('GET', ck(m.version, full)) or '' end
end
return {'ok', v, '1', m.version, m.size, m.cs, tail}
"#;

/// ARGV: prefix, path, new_version, size, chunk_size, chunks, mtime, expected_old_version
/// (`-` when any will do), kept (old chunks renamed into the new version), staged (first chunk
/// index uploaded as pending), last (the final chunk's bytes, stored here when not empty).
///
/// Publishes a write: the staged chunks lose their expiry, the kept ones move over, the node
/// points at the new version and the old version's other chunks are deleted.
const WRITE_COMMIT: &str = r#"
local path, v = ARGV[2], ARGV[3]
local chunks, expect = tonumber(ARGV[6]), ARGV[8]
local kept, last = tonumber(ARGV[9]), ARGV[10]
if path == '/' then return {'EISDIR'} end
local e = check_parent(path)
if e then return {e} end
local m = meta(path)
if m and m.kind == 'd' then return {'EISDIR'} end
if expect ~= '-' then
  local cur = ''
  if m then cur = m.version end
  if cur ~= expect then return {'ECONFLICT'} end
end
local pending_end = chunks - 1
if last ~= '' then pending_end = chunks - 2 end
for i = kept, pending_end do
  if redis.call('EXISTS', ck(v, i)) == 0 then return {'EGONE'} end
end
for i = 0, kept - 1 do
  if redis.call('EXISTS', ck(expect, i)) == 0 then return {'EGONE'} end
end
for i = kept, pending_end do redis.call('PERSIST', ck(v, i)) end
if last ~= '' then redis.call('SET', ck(v, chunks - 1), last) end
for i = 0, kept - 1 do redis.call('RENAME', ck(expect, i), ck(v, i)) end
if m then
  for i = kept, m.chunks - 1 do redis.call('DEL', ck(m.version, i)) end
end
redis.call('HSET', nk(path), 'kind', 'f', 'size', ARGV[4], 'cs', ARGV[5], 'chunks', ARGV[6],
  'version', v, 'mtime', ARGV[7])
local parent, name = split(path)
redis.call('SADD', dk(parent), name)
return {'ok'}
"#;

/// ARGV: prefix, path, mtime.
const MKDIR: &str = r#"
local path = ARGV[2]
if path == '/' then return {'EEXIST'} end
local e = check_parent(path)
if e then return {e} end
if redis.call('EXISTS', nk(path)) == 1 then return {'EEXIST'} end
redis.call('HSET', nk(path), 'kind', 'd', 'mtime', ARGV[3])
local parent, name = split(path)
redis.call('SADD', dk(parent), name)
return {'ok'}
"#;

/// ARGV: prefix, path.
const REMOVE_FILE: &str = r#"
local path = ARGV[2]
if path == '/' then return {'EISDIR'} end
local e = check_parent(path)
if e then return {e} end
local m = meta(path)
if not m then return {'ENOENT'} end
if m.kind == 'd' then return {'EISDIR'} end
drop_chunks(m)
redis.call('DEL', nk(path))
local parent, name = split(path)
redis.call('SREM', dk(parent), name)
return {'ok'}
"#;

/// ARGV: prefix, path.
const REMOVE_DIR: &str = r#"
local path = ARGV[2]
if path == '/' then return {'EBUSY'} end
local e = check_parent(path)
if e then return {e} end
local m = meta(path)
if not m then return {'ENOENT'} end
if m.kind ~= 'd' then return {'ENOTDIR'} end
if redis.call('SCARD', dk(path)) > 0 then return {'ENOTEMPTY'} end
redis.call('DEL', nk(path), dk(path))
local parent, name = split(path)
redis.call('SREM', dk(parent), name)
return {'ok'}
"#;

/// ARGV: prefix, from, to, inside (`1` when `to` lies below `from`). Moves a file or a whole
/// subtree; chunks are keyed by version, not path, so only nodes and child sets move.
const RENAME: &str = r#"
local from, to = ARGV[2], ARGV[3]
if from == '/' or to == '/' then return {'EBUSY'} end
local e = check_parent(from)
if e then return {e} end
local m = meta(from)
if not m then return {'ENOENT'} end
e = check_parent(to)
if e then return {e} end
if from == to then return {'ok'} end
if ARGV[4] == '1' then return {'EINVAL'} end
local t = meta(to)
if t then
  if t.kind == 'd' and m.kind ~= 'd' then return {'EISDIR'} end
  if t.kind ~= 'd' and m.kind == 'd' then return {'ENOTDIR'} end
  if t.kind == 'd' and redis.call('SCARD', dk(to)) > 0 then return {'ENOTEMPTY'} end
  drop_chunks(t)
  redis.call('DEL', nk(to), dk(to))
end
local stack = {{from, to}}
while #stack > 0 do
  local pair = table.remove(stack)
  local src, dst = pair[1], pair[2]
  if redis.call('EXISTS', nk(src)) == 1 then
    local k = redis.call('HGET', nk(src), 'kind')
    redis.call('RENAME', nk(src), nk(dst))
    if k == 'd' and redis.call('EXISTS', dk(src)) == 1 then
      for _, kid in ipairs(redis.call('SMEMBERS', dk(src))) do
        stack[#stack + 1] = {src .. '/' .. kid, dst .. '/' .. kid}
      end
      redis.call('RENAME', dk(src), dk(dst))
    end
  end
end
local fp, fname = split(from)
redis.call('SREM', dk(fp), fname)
local tp, tname = split(to)
redis.call('SADD', dk(tp), tname)
return {'ok'}
"#;

/// ARGV: prefix, from, to, mtime. Server-side copy of one file's chunks to a new version.
const COPY: &str = r#"
local from, to = ARGV[2], ARGV[3]
local e = check_parent(from)
if e then return {e} end
local m = meta(from)
if not m then return {'ENOENT'} end
if m.kind == 'd' then return {'EISDIR'} end
if to == '/' then return {'EISDIR'} end
e = check_parent(to)
if e then return {e} end
local t = meta(to)
if t and t.kind == 'd' then return {'EISDIR'} end
local v = tostring(redis.call('INCR', P .. ':seq'))
for i = 0, m.chunks - 1 do
  if redis.call('EXISTS', ck(m.version, i)) == 1 then
    redis.call('COPY', ck(m.version, i), ck(v, i))
  end
end
drop_chunks(t)
redis.call('HSET', nk(to), 'kind', 'f', 'size', m.size, 'cs', m.cs, 'chunks', m.chunks,
  'version', v, 'mtime', ARGV[4])
local parent, name = split(to)
redis.call('SADD', dk(parent), name)
return {'ok'}
"#;

/// ARGV: prefix, path, mtime.
const SET_MODIFIED: &str = r#"
local path = ARGV[2]
local e = check_parent(path)
if e then return {e} end
if path == '/' then
  redis.call('HSET', nk(path), 'kind', 'd', 'mtime', ARGV[3])
  return {'ok'}
end
if redis.call('EXISTS', nk(path)) == 0 then return {'ENOENT'} end
redis.call('HSET', nk(path), 'mtime', ARGV[3])
return {'ok'}
"#;

/// ARGV: prefix, path, mode (decimal permission bits).
const SET_MODE: &str = r#"
local path = ARGV[2]
local e = check_parent(path)
if e then return {e} end
if path == '/' then
  redis.call('HSET', nk(path), 'kind', 'd', 'mode', ARGV[3])
  return {'ok'}
end
if redis.call('EXISTS', nk(path)) == 0 then return {'ENOENT'} end
redis.call('HSET', nk(path), 'mode', ARGV[3])
return {'ok'}
"#;

/// ARGV: prefix, mtime. Gives the root a node (and a time) if it has none yet.
const INIT_ROOT: &str = r#"
if redis.call('HSETNX', nk('/'), 'kind', 'd') == 1 then
  redis.call('HSETNX', nk('/'), 'mtime', ARGV[2])
end
return {'ok'}
"#;

/// The scripts, indexed by [`Op`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Stat,
    List,
    Read,
    WriteBegin,
    WriteCommit,
    Mkdir,
    RemoveFile,
    RemoveDir,
    Rename,
    Copy,
    SetModified,
    SetMode,
    InitRoot,
}

pub(crate) const ALL: [Op; 13] = [
    Op::Stat,
    Op::List,
    Op::Read,
    Op::WriteBegin,
    Op::WriteCommit,
    Op::Mkdir,
    Op::RemoveFile,
    Op::RemoveDir,
    Op::Rename,
    Op::Copy,
    Op::SetModified,
    Op::SetMode,
    Op::InitRoot,
];

impl Op {
    fn body(self) -> &'static str {
        match self {
            Op::Stat => STAT,
            Op::List => LIST,
            Op::Read => READ,
            Op::WriteBegin => WRITE_BEGIN,
            Op::WriteCommit => WRITE_COMMIT,
            Op::Mkdir => MKDIR,
            Op::RemoveFile => REMOVE_FILE,
            Op::RemoveDir => REMOVE_DIR,
            Op::Rename => RENAME,
            Op::Copy => COPY,
            Op::SetModified => SET_MODIFIED,
            Op::SetMode => SET_MODE,
            Op::InitRoot => INIT_ROOT,
        }
    }

    pub(crate) fn index(self) -> usize {
        ALL.iter().position(|o| *o == self).unwrap_or(0)
    }

    /// The full source sent to the server.
    pub(crate) fn source(self) -> String {
        format!("{PRELUDE}{}", self.body())
    }
}
