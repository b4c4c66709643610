import os, subprocess, shutil

def rust_bytes(b):
    out = 'b"'
    for c in b:
        if c == 0x22: out += '\\"'
        elif c == 0x5c: out += '\\\\'
        elif c == 0x0a: out += '\\n'
        elif c == 0x09: out += '\\t'
        elif 0x20 <= c < 0x7f: out += chr(c)
        else: out += '\\x%02x' % c
    return out + '"'

def rust_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t') + '"'

def setup(root, files):
    if os.path.exists(root): shutil.rmtree(root)
    os.makedirs(root)
    # tmpfs lists a directory in reverse creation order: create in reverse name order so that
    # GNU tools walking in readdir order see sorted names, like Mirage.
    for path, data in sorted(files.items(), reverse=True):
        full = os.path.join(root, path)
        if path.endswith('/'):
            os.makedirs(full, exist_ok=True); continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as f: f.write(data)

def run(root, argv, stdin=b'', shell=False):
    env = dict(os.environ, LC_ALL='C.UTF-8', POSIXLY_CORRECT='')
    del env['POSIXLY_CORRECT']
    p = subprocess.run(argv, cwd=root, input=stdin, capture_output=True, env=env)
    return p.stdout, p.stderr, p.returncode

def emit(path, header, files, cases, root):
    lines = [header, '', 'use crate::commands::search::test_support::Case;', '', '#[rustfmt::skip]', 'pub const FILES: &[(&str, &[u8])] = &[']
    for k, v in files.items():
        if k.startswith('@'): continue
        lines.append('    (%s, %s),' % (rust_str(k), rust_bytes(v)))
    lines.append('];')
    lines.append('')
    lines.append('/// (argv, stdin, stdout, stderr, status)')
    lines.append('#[rustfmt::skip]')
    lines.append('pub const CASES: &[Case] = &[')
    for argv, stdin in cases:
        out, err, st = run(root, argv, stdin)
        lines.append('    (&[%s], %s, %s, %s, %d),' % (', '.join(rust_str(a) for a in argv), rust_bytes(stdin), rust_bytes(out), rust_bytes(err), st))
    lines.append('];')
    open(path, 'w').write('\n'.join(lines) + '\n')
