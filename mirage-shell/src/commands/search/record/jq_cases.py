import sys
sys.path.insert(0, __import__('os').path.dirname(__file__))
from common import *

files = {
    'j1': b'{"a":"x"}\n',
    'j2': b'{"a":"y"}\n',
    'j3': b'[1,2',
    'obj.json': b'{"b":[1,{"c":[]}],"a":{},"n":1.50,"s":"h\\u00e9\\n","t":true,"z":null}\n',
    'multi': b'{"a":1}\n{"a":2}\n\n{"a":"x"}\n{"a":3}\n',
    'prog.jq': b'.a',
    'lines.txt': b'one\ntwo\n\nthree',
    'd/x': b'1\n',
}
root = '/dev/shm/gen/jq_root'
setup(root, files)
C = []
def c(*argv, stdin=b''):
    C.append((['jq'] + list(argv), stdin))

OBJ = b'{"b":[1,{"c":[]}],"a":{}}\n'
c('.', stdin=OBJ); c('-c', '.', stdin=OBJ); c('--tab', '.', stdin=OBJ); c('--indent', '0', '.', stdin=OBJ); c('--indent', '1', '.', stdin=OBJ); c('--indent', '7', '.', stdin=OBJ)
c('--indent', '8', '.', stdin=OBJ); c('-S', '-c', '.', stdin=OBJ); c('-S', '.', stdin=OBJ); c('-Z', '.', stdin=OBJ); c(stdin=OBJ); c('.', 'obj.json'); c('-c', '.', 'obj.json'); c('.n,.s', 'obj.json')
for v in ['1.0', '1e100', '12345678901234567890', '1e17', '1e16', '1e15', '123456789012345678', '0.0001', '0.00001', '1.5e-7', '-0', '-0.0', '3.14159', '100', '1e-5',
          '1.7976931348623157e308', '1e400', '-1e400', '0.1', '1e2', '123e-2', '100000000000000000000', 'NaN', 'Infinity', '[1.10,2.50e1]']:
    c('.', stdin=v.encode() + b'\n')
S = b'"a\\u007f\\u0001\\t\\u00e9\\ud83d\\ude00/"'
c('.', stdin=S); c('-a', '.', stdin=S); c('-r', '.', stdin=S); c('-j', '.', stdin=S)
c('-r', '.[]', stdin=b'[1,"a",null]'); c('-j', '.[]', stdin=b'[1,"a"]'); c('-rc', '.', stdin=b'[1,"a"]'); c('--arg', 'x', '1', '$x', stdin=b'null'); c('--argjson', 'x', '{"a":1}', '-c', '$x', stdin=b'null')
c('--argjson', 'x', '{a', '$x', stdin=b'null'); c('--arg', 'x', stdin=b'null'); c('--arg'); c('--argjson', 'x'); c('--indent'); c('-nrcj', '1'); c('-x'); c('--foo'); c('.', '--', '-c'); c('--version')
c('-n', '$ARGS', '--arg', 'a', 'b', '--args', 'x', 'y'); c('-n', '-c', '$ARGS', '--jsonargs', '1', '{"a":2}'); c('-n', '--slurpfile', 'f', 'j1', '-c', '$f'); c('-n', '--rawfile', 'f', 'j1', '$f'); c('-n', '--slurpfile', 'f', 'nonexist', '$f')
c('.a', 'nonexist'); c('.a', 'nonexist', 'j1'); c('-n', 'input_filename'); c('input_filename', stdin=b'1'); c('input_filename', 'j1', 'j2'); c('-n', '"a\\nb" | debug | stderr | 1')
c('-n', '[1,{"a":"é"}] | tojson'); c('-n', '[1.0, 1.5, 100000000000000000000] | tostring'); c('-n', '"\\(1.0) \\(2/4) \\(1e100) \\(4/2)"'); c('-n', '4/2, 1.0, 3*0.5, 1e3')
c('-n', '[1,2] | join("-")'); c('-n', '[1,null,"a",true] | join(",")'); c('-n', '"\\([1,2])"'); c('-n', '-r', '[1.5,"a"]|@csv,@tsv,@sh,@json,@text,@html,@base64,@uri'); c('-n', '@json "x\\(1+1)y\\("q")"')
c('.a + 1', 'multi'); c('.a + 1', stdin=b'{"a":"x"}\n{"a":2}\n'); c('.a + 1', stdin=b'{"a":"x"} {"a":2}'); c('.a + 1', stdin=b'{"a":\n"x"\n}\n\n\n'); c('.a+1', 'j1', 'j2'); c('.', 'nonexist', 'j1'); c('.', 'j3', 'j1')
c('.', 'd'); c('-f', 'prog.jq', stdin=b'{"a":3}'); c('-f', 'nonexist.jq'); c('.', stdin=b'[1,2\n'); c('-e', '. > 1', stdin=b'1 2 3'); c('-e', '.', stdin=b'null'); c('-e', '.', stdin=b'false'); c('-e', '.', stdin=b'')
c('empty', '-e', stdin=b'1'); c('.', stdin=b'[1,2'); c('.', stdin=b'{"a":1}{'); c('.', stdin=b'nul'); c('.', stdin=b'1 x'); c('-e', '.', stdin=b'1 [1,2')
c('.+1', stdin=b'"a" [1,2'); c('-e', 'false', stdin=b'1'); c('-n', '1,null', '-e'); c('-n', 'null,1', '-e'); c('-n', 'error("x"),1', '-e'); c('-n', '1,error("x")', '-e'); c('-n', 'halt_error'); c('-n', '"bye\\n"|halt_error(1)')
c('-n', '{"a":1}|halt_error(1)'); c('-n', 'halt'); c('-n', '1, halt, 2')
for bad in ['{"a":1,}', '{"a"}', '{1:2}', '{"a":1 "b":2}', ':', '1:', '{"a"::1}', ']', '}', '[}', '{]', ',', '[,1]', '{,}', '"\\x"', '"\\u12"', '"\\u12zz"', '"\\ud800"', '"a\nb"', '01', '-', '+1', '.5', '1.', '1e',
            'tru', 'truex', 'nan', 'NaN', 'Infinity', '-Infinity', 'infinity', '[1 2]', '{"a":1}}', '"\\/"', 'true false', '\x01', "'a'", '[1,2]x', '1.5e3', '1E+2', '0x10', '[[[[[[', '\xef\xbb\xbf1', '"\xff"',
            '"\\ud83d\\ude00"', '"\\ude00"', '  \n\n  ', '#c\n1', '1 # c', '{"a":1,"a":2}', '{"b":1,"a":2,"b":3}']:
    c('-c', '.', stdin=bad.encode('latin-1') if '\xff' in bad or '\xef' in bad else bad.encode())
for f in ['1|.a', '"x"|.a', 'null|.a', 'true|.a', '[1]|.a', '{}|.[0]', '1|.[0]', '"abc"|.[0]', '[1]|.["a"]', '{}|.[[1]]', '1|.[]', 'null|.[]', '"abcdefghijklmnopqrstuvwxyz"|.[]',
          '1+"a"', '{}+1', '[]-1', '"a"-"b"', '{}*[]', '"a"/0', '1%0', '[]/1', '"abcdefghijklmnopqrstuvwxyz"+1', '{"a":1}|keys[0]+1', '1|keys', 'true|length', '1|has("a")', '{}|has(1)',
          '1|test("a")', '1|ltrimstr("a")', '1|explode', '1|implode', '"a"|tonumber', '"12"|tonumber', '"1.50"|tonumber', '1|split(",")', '1|join(",")', '[[]]|join(",")', '{}|tostring|.+1', '"x"|fromjson', '"[1,2]"|fromjson',
          'null|error', '1|error', '[1]|error', 'error("x")', 'error({"a":1})', 'error(null)', '1|to_entries', '1|from_entries', '[1]|from_entries', '1|add', 'limit(-1;1)', '1|range(.;"a")', '[1,2,3]|.[1:"a"]', '1|.[1:2]',
          'infinite|tostring', '{"a":[1,2]}|tostring', '[.[]?]', '"\\(1,2)"', '1 as [$a] | $a', '{} | .a += 1 | .a.b', '[3,1]|min,max', '"abc"|.[1:]', '1|@csv', '[{}]|@csv', '[[1]]|@tsv', '"a"|@sh', '[{}]|@sh',
          '[1,[2,[3]]]|flatten', '{"b":2,"a":1}|keys', '{"b":2,"a":1}|to_entries', '[{"key":"a","value":1}]|from_entries', '{"a":1}|with_entries(.value+=1)', '[1,2,3]|map(.*2)', '[1,2,3]|add', '[3,1,2]|sort',
          '[{"a":2},{"a":1}]|sort_by(.a)', '[1,1,2]|unique', '[{"a":1,"b":1},{"a":1,"b":2}]|group_by(.a)', '"a,b,c"|split(",")', '"abc"|test("b")', '"abc"|sub("b";"X")', '"aXbXc"|gsub("X";"-")', '"abc"|ascii_upcase',
          '[1,2,3]|length', '"héllo"|length', '{"a":1}|length', 'null|length', '-5|length', '[range(5)]', '[range(0;10;3)]', '{"a":{"b":1}}|paths', '[paths]', '{"a":{"b":1}}|[paths(type=="number")]', '{"a":[1,2]}|[leaf_paths]',
          '{"a":1}|has("a")', '[1,2]|index(2)', '"abcb"|index("b"),rindex("b")', '"abc"|indices("b")', '[1,2]|contains([1])', '"foobar"|contains("bar")', '{"a":1,"b":2}|del(.a)', '{"a":1}|.b=2', '{"a":[1,2]}|.a[1]',
          '[1,2,3]|.[1:]', '[1,2,3]|.[-1]', '[1,2,3]|first,last', 'first(range(10))', '[limit(3;range(10))]', 'reduce range(5) as $x (0;.+$x)', '[foreach range(5) as $x (0;.+$x)]', 'if 1 then "a" else "b" end',
          'try error("x") catch .', '[.[]?] | length', '{"a":null}|.a // "d"', '[1,null,2]|map(values)', '"2015-03-05T23:51:47Z"|fromdateiso8601', '1425599507|todate', '"abc"|@base64', '"YWJj"|@base64d', '"a b"|@uri',
          '[1,2]|tojson', '"[1,2]"|fromjson', '{"a":"1"}|.a|tonumber', '1|tostring', '"1"|tostring', '[1,"1"]|map(type)', 'now|type', '$ENV|type', 'env|type', '$__loc__', '"x"|ascii_downcase', '[1,2]|any', '[]|all',
          '{"a":1}|to_entries|from_entries', '[1,2,3]|map(select(.>1))', '{"a":1,"b":null}|map_values(.//0)', '[[1,2],[3,4]]|transpose', '"a-b"|splits("-")', '"test 123"|[match("[0-9]+")|.string]', '"x"|capture("(?<n>x)")',
          '[1,2,3]|IN(2)', '"abc"|ltrimstr("a")|rtrimstr("c")', '"  a "|ltrimstr(" ")', '[1,2]|min_by(.)', '{"a":1}|getpath(["a"])', 'setpath(["a","b"];1)', '[1,2]|combinations|tostring', '{"a":1}|tostream|tostring',
          '1/3', '10/3|floor', '3.7|round', '2|pow(.;3)', '16|sqrt', '-1|fabs', '"1"+"2"', '[1]+[2]', '{"a":1}+{"b":2}', '{"a":{"b":1}}*{"a":{"c":2}}', '"ab"*3', '10%3', '-10%3', '5.5%2', 'infinite', '-infinite', 'nan|isnan',
          '[nan]', '[1,nan]|sort', 'splits("a")', '$x', 'foo', 'foo(1)', '{', '.a |||', '.[', '1 +', 'if', '[1,2', '"abc', '"\\(1', 'def f: .; f(1)']:
    c('-nc', f)
c('-cn', '[inputs]', stdin=b'[1,"a"] 2'); c('-c', '-n', 'input', stdin=b'[1,"a"] 2'); c('-c', '[., input]', stdin=b'1 2 3 4'); c('-c', 'input', stdin=b'1'); c('-s', '-c', '.', stdin=b'[1,"a"] 2'); c('-s', '-c', '.', stdin=b'')
c('-R', '.', stdin=b'[1,"a"]\nx'); c('-Rs', '.', stdin=b'[1,"a"]\nx\n'); c('-Rn', '[inputs]', '-c', stdin=b'a\nb\n'); c('-R', '.', 'lines.txt'); c('-Rr', '.', stdin=b'a\\tb\n\xff\n'); c('-sR', 'length', stdin=b'')
c('-s', '.+1', stdin=b'1\n2\n'); c('-s', '.', stdin=b'1 [')
c('.a', 'nonexist', stdin=b'{"a":1}'); c('-n', '[1,2]|.[0] = 5', '-c'); c('-r', '.[] | "\\(.name): \\(.n)"', stdin=b'[{"name":"a","n":1},{"name":"b","n":2.5}]')
c('.[] | select(.age > 30) | .name', stdin=b'[{"name":"a","age":31},{"name":"b","age":20}]'); c('-r', 'keys[]', stdin=b'{"b":1,"a":2}'); c('map(.a)', stdin=b'[{"a":1},{"a":2}]')
c('-c', 'to_entries[] | {k: .key, v: .value}', stdin=b'{"x":1,"y":[2]}'); c('--arg', 'n', 'x', '.[$n]', stdin=b'{"x":5}'); c('-r', '.[] | @tsv', stdin=b'[[1,"a\\tb"],[2,null]]')

emit(sys.argv[1], '//! Cases recorded from jq 1.6 (LC_ALL=C.UTF-8), run in a directory holding FILES (and an\n//! empty directory `dd`). Generated: do not edit by hand.', files, C, root)
