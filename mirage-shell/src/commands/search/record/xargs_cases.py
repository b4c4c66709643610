import sys
sys.path.insert(0, __import__('os').path.dirname(__file__))
from common import *

files = {
    'f1': b'one\n',
    'f2': b'two\nfoo\n',
    'list': b'f1\nf2\n',
    'd/x.txt': b'foo\n',
}
root = '/dev/shm/gen/xargs_root'
setup(root, files)
C = []
def c(*argv, stdin=b''):
    C.append((['xargs'] + list(argv), stdin))

c(stdin=b'a b\nc'); c('-n1', stdin=b'a b\nc'); c('-n', '2', 'echo', 'X', stdin=b'a b\nc'); c('-n1', stdin=b"'a b' \"c d\" e\\ f")
c(stdin=b"'a b"); c(stdin=b'"a\\nb"'); c(stdin=b''); c('-r', stdin=b''); c('-r', 'echo', 'x', stdin=b''); c('-I{}', 'echo', '[{}]', stdin=b'a\nb\n')
c('-I{}', 'echo', '[{}]', stdin=b'  a  b  \n c\n'); c('-L1', stdin=b'  a  b  \n c\n'); c('-0', '-n1', stdin=b'a\0b c\0'); c('-d,', '-n1', stdin=b'a,b,c\n'); c('-t', 'echo', stdin=b'a,b,c\n')
c('nonexist', stdin=b'a b\n'); c('-E', 'a', 'echo', stdin=b'a\nb\n'); c('-E', 'b', 'echo', stdin=b'a\nb\n'); c(stdin=b'a\\\\b\n')
c('-I{}', 'echo', '[{}]', stdin=b"'a b' c\n"); c('-I{}', 'echo', '[{}]', stdin=b''); c('-n1', stdin=b''); c('-L1', stdin=b''); c('-0', stdin=b'')
c('-I{}', 'echo', '[{}]', stdin=b'a\n\nb\n'); c('-L1', 'echo', 'X', stdin=b'a\n\nb\n'); c('-L2', stdin=b'a b\nc d\ne\n'); c('-L', '1', '-n', '1', stdin=b'a b\nc d\ne\n'); c('-n1', '-L', '1', stdin=b'a b\nc d\ne\n')
c('-I', 'X', 'echo', 'X-X', 'X', stdin=b'a b c'); c('-i', 'echo', '[{}]', stdin=b'a b c'); c('-iX', 'echo', '[X]', stdin=b'a b c'); c('-e', stdin=b'a b c'); c('-eb', 'echo', stdin=b'a b c')
c('-x', '-s', '6', 'echo', stdin=b'a b\n'); c('-s', '7', 'echo', stdin=b'a b\n'); c('-s', '1', 'echo', stdin=b'a b\n'); c('-n', '0', stdin=b'a b\n'); c('-n', 'x', stdin=b'a b\n'); c('-P', '2', '-n1', stdin=b'a b\n')
c('-Z', stdin=b'a b\n'); c('--foo', stdin=b'a b\n'); c('-a', 'nonexist', stdin=b'a b\n'); c('-n1', stdin=b'a\tb\n'); c('-n1', 'echo', 'X', stdin=b"'' a\n"); c('-E', 'b', stdin=b"'b' c\n")
c('-n1', stdin=b"a b 'c"); c(stdin=b'a "b\nc"'); c('-n1', stdin=b'a\\\nb c'); c('-0', '-n1', 'echo', 'X', stdin=b'a\0\0b\0'); c('-0', '-n1', 'echo', 'X', stdin=b'a\0b')
c('-I{}', '-n1', 'echo', '{}', stdin=b'a\nb\n'); c('-n1', '-I{}', 'echo', '{}', stdin=b'a\nb\n'); c('-I{}', '-L2', 'echo', '{}', stdin=b'a\nb\n'); c('-d', '\\n', '-n1', stdin=b'a\nb\n'); c('-d', 'ab', stdin=b'a\nb\n')
c('-d', '\\x61', stdin=b'a\nb\n'); c('-d', '\\141', '-n1', stdin=b'a\nb\n'); c('-d', '', stdin=b'a\nb\n'); c('-d', '\\q', stdin=b''); c('-d', '\\777', stdin=b'a')
c('-I', '{}', 'echo', '{}{}', 'a{}b', stdin=b'x y\n'); c('-I', '{}', stdin=b'x y\n'); c('-t', '-n1', 'echo', 'a b', stdin=b'x y\n'); c('-I', '{}', '-t', 'echo', '{}', stdin=b'x y\n'); c('echo', '-n', stdin=b'x y\n'); c('-n2', '-t', stdin=b'a b c d e\n')
c('-L1', '-I{}', 'echo', '{}', stdin=b'a\nb\nc\n'); c('-I{}', '-n2', 'echo', '{}', stdin=b'a\nb\nc\n'); c('-l', '-n2', stdin=b'a\nb\nc\n'); c('-L1', '-L2', stdin=b'a\nb\nc\n'); c('-I{}', '-I[]', 'echo', '{}', '[]', stdin=b'a\nb\nc\n')
c('-l', stdin=b'a\nb\nc\n'); c('-L', '0', stdin=b'a\nb\nc\n'); c('-s', '0', stdin=b'a\nb\nc\n'); c('-P', 'x', stdin=b'a\n'); c('-P', '-1', stdin=b'a\n'); c('-s', 'x', stdin=b'a\n'); c('-L', 'x', stdin=b'a\n')
c('-l1', stdin=b'a b\nc\n'); c('-L1', stdin=b'a b \nc\nd\n'); c('-L2', stdin=b'a b \nc\nd\n')
c('cat', stdin=b'f1 f2\n'); c('cat', stdin=b'f1 nofile f2\n'); c('-a', 'list', 'cat'); c('grep', 'foo', stdin=b'f1 f2\n'); c('grep', '-l', 'o', stdin=b'f1\nf2\nd/x.txt\n'); c('grep', 'zzz', stdin=b'f1\n'); c('-n1', 'grep', 'foo', stdin=b'f1 f2\n')
c('-I{}', 'basename', '{}', '.txt', stdin=b'd/x.txt\n'); c('-t', 'cat', stdin=b'f1\n'); c('--null', '-n1', stdin=b'a\0b\0'); c('--max-args=1', stdin=b'a b\n'); c('--verbose', stdin=b'a\n'); c('--no-run-if-empty', stdin=b'\n\n')
c('-n1', 'echo', stdin=b'-n\n-e\n'); c(stdin=b'  \n\t\n'); c('-0', stdin=b'a\nb\0'); c('--arg-file=list', '-n1'); c('-n', '3', stdin=b''.join(b'%d\n' % i for i in range(10)))
c('-s', '20', 'echo', stdin=b'x ' * 20); c('-s', '20', 'echo', 'aaaa', stdin=b'x ' * 20); c('-x', '-n', '3', '-s', '10', 'echo', stdin=b'aa bb cc\n')

emit(sys.argv[1], '//! Cases recorded from GNU findutils 4.9 xargs (LC_ALL=C.UTF-8), run in a directory holding\n//! FILES. Generated: do not edit by hand.', files, C, root)
