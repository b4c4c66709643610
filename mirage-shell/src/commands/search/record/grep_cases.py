import sys
sys.path.insert(0, __import__('os').path.dirname(__file__))
from common import *

def big():
    s = ''.join('line%d\n' % i for i in range(1, 20001)).encode()
    return s + b'x\0y\nline-end\n'

files = {
    'a': b'abc\nfoo bar\nFoo\n',
    'p': b'abc\nfoo bar\nFoo\na(b)c\na+b\na{2}\naa\n*star\nx|y\n',
    'n': ''.join('%d\n' % i for i in range(1, 13)).encode(),
    'w': b'abcd\nfoo foobar\n\nab ab\n',
    'bin': b'hello\0world\n',
    'bin2': b'abc\n\0\nabc\n',
    'inv3': b'abc\nabc\nx\xffy\nabc\n',
    'noeol': b'foo\nbar',
    'uni': 'star\n*star\n+a\na\n{1}a\né\nÉ\nx y\nfoo_bar\n?q\n'.encode(),
    'd/x': b'foo\n',
    'd/sub/y': b'foo\n',
    'd/z.c': b'foo c\n',
    'pats': b'foo\n\n',
    'pats2': b'abc\nbar\n',
    'empty': b'',
    'big': big(),
}
root = '/dev/shm/gen/grep_root'
setup(root, files)
del files['big']

C = []
def c(*argv, stdin=b''):
    C.append((['grep'] + list(argv), stdin))

# basics and options
c('foo', 'a'); c('zzz', 'a'); c('-i', 'FOO', 'a'); c('-v', 'foo', 'a'); c('-c', 'o', 'a'); c('-n', 'o', 'a')
c('-vn', '[2-9]', 'n'); c('-x', 'ab ab', 'w'); c('-w', 'foo', 'w'); c('-w', 'ab', 'w'); c('-ow', 'ab', 'w')
c('-o', 'ab\\|abcd', 'w'); c('-w', '', 'w'); c('-c', '', 'w'); c('-o', 'b*', 'w'); c('-w', 'foo.*', 'w'); c('-ow', 'foo.*', 'w')
c('-xo', 'ab', 'w'); c('-on', 'b', 'w'); c('-ov', 'x', 'w'); c('-oc', 'b', 'w'); c('-w', '@foo', stdin=b'a@foo\n@foo\n')
c('-bo', '1', 'n'); c('-b', '2', 'n'); c('-ob', 'o', 'a', 'w')
c('-F', 'a+b', 'p'); c('-F', '*star', 'p'); c('-Fx', 'aa', 'p'); c('-Fw', 'a', 'uni'); c('-Fi', 'FOO', 'a'); c('-F', '-e', 'a{', '-e', 'x|', 'p')
c('foo', 'noeol'); c('-v', 'foo', 'noeol'); c('-c', 'bar', 'noeol'); c('-o', 'ar', 'noeol')
c('-e', 'foo', '-e', 'abc', 'a'); c('-e', 'foo\nFoo', 'a'); c('-f', 'pats2', 'a'); c('-c', '-f', 'pats', 'a'); c('-f', 'empty', 'a'); c('-v', '-f', 'empty', 'a'); c('-e', 'foo', '-f', 'empty', 'a'); c('-f', 'nonexist', 'a')
c('-f', '-', 'a', stdin=b'Foo\n')
# BRE / ERE
for pat in ['a(b)', 'a\\(b\\)', 'a\\)', '\\(a', '[a', 'a\\{2', 'a{2}', '*star', 'x|y', 'x\\|y', 'a\\+b', 'a+b', '\\a', 'ab\\', '[:space:]', '[[:foo:]]',
            'a\\{2,1\\}', '[b-a]', '\\(\\)', 'x\\{1', '^*', 'a\\{1\\}\\{2\\}', '\\{1\\}a', '\\+a', '\\?q', '[]a]', '[^]a]', '[\\]', '\\(a\\)\\1', '[[.a.]]', '[[=a=]]',
            '[[.space.]]', '[[:alpha:]-z]', 'a\\}', '\\bstar', '\\<s', 's\\>', '\\w\\+', '\\W', '^a$', 'a^', '$a', '[[:upper:]]', '[[:digit:]]\\+', 'a\\{,2\\}', 'a\\{x\\}', 'a\\{1,x\\}']:
    c('-n', pat, 'p', 'uni')
for pat in ['a(b)', 'a)', '(a', 'a{2', 'a{,2}', '*star', 'x|y', 'a+b', '+a', '{1}a', 'a**', 'a|*b', '()', '(|a)', 'a{1,2}{3}', 'a+*', 'a{1,2', 'a{1a}', 'a{2,1}',
            'a{99999}', 'a{32768}', '^*s', 'a|', '|', '\\1', '(a)\\2', 'a}', 'a{1}}', '[[:alpha:]]+', 'fo{2}', '(fo|ba)r', 'x\\|y', 'a\\{']:
    c('-n', '-E', pat, 'p', 'uni')
c('-o', '[[:alpha:]]', 'uni'); c('-c', '[[:upper:]]', 'uni'); c('-ic', 'é', 'uni'); c('-o', '\\w\\+', 'uni'); c('-io', 'É', 'uni'); c('-E', '-o', '.', 'uni')
# context
c('-C1', '-e', '3', '-e', '4', '-e', '9', 'n'); c('-A1', '-m2', '[0-9]', 'n'); c('-n', '-A2', '-m1', '[13]', 'n'); c('-B1', '-n', '5', 'n'); c('-c', '-A1', '5', 'n')
c('-o', '-C1', '1', 'n'); c('-nA1', '^1', 'n'); c('-n', '-B2', '-m2', '[59]', 'n'); c('-n', '-A1', '-B1', '[48]', 'n'); c('-n', '-C1', '--group-separator=XX', '[15]', 'n')
c('--no-group-separator', '-A0', '[15]', 'n'); c('-A0', '[15]', 'n'); c('-2', '8', 'n'); c('-n', '-C', '1', '5', 'n', 'a'); c('-C1', 'foo', 'a', 'w'); c('-vC1', '[2-9]', 'n')
c('-A', 'x', 'foo', 'a'); c('-C', '-1', 'x', 'a'); c('--context=x', 'foo', 'a'); c('-B', '3', '-n', '12', 'n'); c('-n', '-v', '-C1', '[0-35-9]', 'n')
# lists, counts, quiet, max
c('-l', 'foo', 'a', 'w', 'n'); c('-L', 'foo', 'a', 'w', 'n'); c('-L', 'zzz', 'w'); c('-lc', '1', 'n', 'a'); c('-Lc', '1', 'n', 'a'); c('-ql', '1', 'n'); c('-cq', '1', 'n'); c('-co', '1', 'n')
c('-lv', '1', 'n'); c('-c', 'foo', 'a', 'w'); c('-h', 'foo', 'a', 'w'); c('-H', 'foo', 'w'); c('-hc', 'foo', 'a', 'w'); c('-m1', 'o', 'a'); c('-m', '0', 'foo', 'nonexist'); c('-m', '-1', 'foo', 'a')
c('-c', '-m2', '1', 'n'); c('-m', 'x', 'foo', 'a'); c('-q', 'foo', 'a'); c('-q', 'zzz', 'a'); c('-q', 'foo', 'nonexist', 'a'); c('-q', 'foo', 'a', 'nonexist'); c('-s', 'foo', 'nonexist'); c('-s', 'foo', 'nonexist', 'a')
c('-Z', '-l', 'foo', 'a', 'w'); c('-Z', '-c', 'foo', 'a', 'w'); c('-Z', 'foo', 'a', 'w'); c('-Zn', 'foo', 'a', 'w'); c('-l', 'foo', '-', 'a', stdin=b'foo\n')
# files, errors, dirs, recursion
c('foo', 'nonexist'); c('foo', 'a', 'nonexist', 'w'); c('foo', 'd'); c('foo', '.'); c('-s', 'foo', 'd'); c('-r', 'foo', 'd'); c('-r', 'foo', 'd/'); c('-r', 'foo', 'd/x'); c('-R', 'foo', 'd')
c('-r', '--include=*.c', 'foo', 'd'); c('-r', '--exclude=x', 'foo', 'd'); c('-r', '--exclude-dir=sub', 'foo', 'd'); c('--include=x', '-r', 'foo', 'd'); c('-r', '--exclude=*.c', '--include=*.c', 'foo', 'd')
c('-rh', 'foo', 'd'); c('-rH', 'foo', 'd/x'); c('-rc', 'foo', 'd'); c('-rl', 'foo', 'd', 'a'); c('-d', 'skip', 'foo', 'd', 'a'); c('-d', 'recurse', 'foo', 'd'); c('-d', 'foo', 'x', 'a')
c('--exclude=a', 'foo', 'a', 'w'); c('--include=w', 'foo', 'a', 'w'); c('--exclude=d', 'foo', 'd/x'); c('--exclude=x', 'foo', 'd/x')
c('foo', '-', stdin=b'foo\nbar\n'); c('foo', stdin=b'foo\nbar\n'); c('-H', 'foo', stdin=b'foo\n'); c('--label=LL', '-H', 'foo', stdin=b'foo\n'); c('-c', 'x', '-', 'a', stdin=b'x\n')
# binary
c('o', 'bin'); c('-c', 'o', 'bin'); c('-n', 'o', 'a', 'bin'); c('-o', 'o', 'bin'); c('-l', 'o', 'bin'); c('-s', 'o', 'bin'); c('-a', 'o', 'bin'); c('--binary-files=text', 'o', 'bin')
c('-I', 'o', 'bin', 'a'); c('-I', '-c', 'o', 'bin'); c('-I', '-L', 'o', 'bin'); c('-U', 'o', 'bin'); c('-c', 'abc', 'bin2'); c('abc', 'bin2'); c('-v', 'zzz', 'bin2'); c('-q', 'abc', 'bin2')
c('-n', '.', 'inv3'); c('-n', 'abc', 'inv3'); c('-c', '.', 'inv3'); c('-o', 'b', 'inv3'); c('-n', 'x', 'inv3'); c('-o', 'y', 'inv3'); c('-a', '-n', 'x', 'inv3'); c('-n', '-A1', 'abc', 'inv3')
c('-c', 'abc', stdin=b'abc\0abc\nabc\n'); c('-c', 'c.a', stdin=b'abc\0abc\nabc\n'); c('-a', '-c', 'c.a', stdin=b'abc\0abc\nabc\n'); c('-c', '^abc$', stdin=b'abc\0abc\nabc\n')
c('-c', 'line', 'big'); c('line1094', 'big'); c('-n', 'line2000$', 'big')
c('--binary-files=foo', 'x', 'a')
# null data
c('-z', 'b', stdin=b'a\nb\0c\0'); c('-zc', '.', stdin=b'a\nb\0c\0'); c('-z', '^b', stdin=b'a\nb\0b\nx\0')
# usage
c(); c('-Y', 'x', 'a'); c('--foo', 'x', 'a'); c('-A'); c('-E', '-F', 'foo', 'a'); c('-E', '-E', 'foo', 'a'); c('-P', 'foo', 'a'); c('--color=never', 'foo', 'a'); c('--colour', 'foo', 'a'); c('-y', 'FOO', 'a'); c('-i', '--no-ignore-case', 'FOO', 'a')
c('-u', 'foo', 'a'); c('--line-buffered', 'foo', 'a'); c('-D', 'skip', 'foo', 'a'); c('--regexp=foo', 'a'); c('--file=pats2', 'a'); c('--', '-v', 'a'); c('-e', '-v', 'a', stdin=b'-v\n')

# more combinations
c('-cv', 'zzz', 'bin2'); c('-Lv', 'foo', 'a', 'w'); c('-w', '-e', 'foo', '-e', 'ab', 'w'); c('-x', 'abc\\|Foo', 'a'); c('-i', '[[:upper:]]oo', 'a'); c('-n', '-C1', 'foo', 'a', 'w')
c('-oi', 'f[o]*', 'a', 'w'); c('-o', '-e', '', 'a'); c('-m1', '-v', 'foo', 'a'); c('-A1', '-c', 'o', 'a'); c('-vc', '', 'a'); c('-ho', 'o\\+', 'a', 'w'); c('-nb', 'b', 'a')
c('-E', '-w', 'ab|abcd', 'w'); c('-F', '-x', '-e', 'Foo', '-e', 'abc', 'a'); c('-Fw', 'foo', 'w'); c('-F', '', 'a'); c('-Fv', '', 'a'); c('-E', '(a|b)+c', 'a', 'p'); c('-E', 'x{0}', 'a')
c('-l', 'o', 'a', 'bin', 'inv3'); c('-c', 'x', 'inv3'); c('-v', 'abc', 'inv3'); c('-h', '-n', 'foo', 'a', 'w'); c('-rn', 'foo', 'd'); c('-r', 'foo', '.', '--include=*.c')
c('-A', '1', '-B', '2', '-n', '7', 'n'); c('-C', '2', '-m', '1', '5', 'n'); c('-c', '-C', '2', '^[0-9]$', 'n'); c('-e', 'a', '-v', '-c', 'n', 'a')
c('-E', '[[:space:]]', 'a'); c('-E', '[^[:alnum:] ]', 'p'); c('\\.', 'p', 'a'); c('-E', 'a.c', 'p'); c('[.]', 'p'); c('-E', '^(foo|abc)', 'a'); c('-E', '(^|[^a])b', 'p')
c('-T', 'foo', 'a'); c('-T', '-n', 'foo', 'a', 'w'); c('-T', '-c', 'foo', 'a', 'w'); c('-T', '-nb', '-H', 'foo', 'a'); c('-T', '-C1', '-n', 'foo', 'a')
c('-c', '-f', 'empty', 'a'); c('-L', '-f', 'empty', 'a'); c('-vc', 'x*', 'a'); c('-v', '-e', '', '-e', 'a', 'a'); c('-vc', '-x', '', 'a'); c('-vl', '', 'a'); c('-vL', '', 'a'); c('-v', '^', 'a')

emit(sys.argv[1], '//! Cases recorded from GNU grep 3.8 (LC_ALL=C.UTF-8) by running each argv in a directory\n//! holding FILES (plus `big`, built by `big_file()`). Generated: do not edit by hand.', files, C, root)
