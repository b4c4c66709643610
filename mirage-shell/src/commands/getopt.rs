//! GNU getopt_long behaviour for built-in commands: clustered short options (`-nr`), attached or
//! separate values (`-k2`, `-k 2`), long options with unique-prefix abbreviation (`--num` for
//! `--numeric-sort`), `--` to end options, `-` as an operand, and options after operands (GNU
//! permutes). Error texts are GNU's exactly, so commands can print them unchanged.

/// Whether an option takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
    Optional,
}

/// One long option: its name, whether it takes a value, and the key it reports as (usually the
/// matching short option, so `--lines=3` and `-n 3` look the same to the command).
#[derive(Clone, Copy, Debug)]
pub struct LongOpt {
    pub name: &'static str,
    pub has_arg: HasArg,
    pub key: &'static str,
}

/// The option grammar of one command.
#[derive(Clone, Debug, Default)]
pub struct OptSpec {
    /// getopt-style: each letter is an option; a following `:` means it takes a value,
    /// `::` an optional attached value.
    pub short: &'static str,
    pub long: &'static [LongOpt],
    /// Stop at the first operand instead of permuting (like `POSIXLY_CORRECT` or a `+` spec).
    pub stop_at_operand: bool,
}

/// One option found on the command line, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    /// The short letter as a string, or the long option's `key`.
    pub key: String,
    pub value: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub opts: Vec<Opt>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, key: &str) -> bool {
        self.opts.iter().any(|o| o.key == key)
    }

    /// The last value given for `key` (GNU tools let a later option override an earlier one).
    pub fn last(&self, key: &str) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|o| o.key == key)
            .and_then(|o| o.value.as_deref())
    }

    /// All values given for `key`, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.opts
            .iter()
            .filter(|o| o.key == key)
            .filter_map(|o| o.value.as_deref())
            .collect()
    }
}

fn short_has_arg(spec: &str, c: char) -> Option<HasArg> {
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let opt = chars[i];
        let mut kind = HasArg::No;
        if chars.get(i + 1) == Some(&':') {
            kind = HasArg::Required;
            i += 1;
            if chars.get(i + 1) == Some(&':') {
                kind = HasArg::Optional;
                i += 1;
            }
        }
        if opt == c && opt != ':' {
            return Some(kind);
        }
        i += 1;
    }
    None
}

/// Parses `args` (without the command name). On error returns GNU's message line without the
/// `NAME: ` prefix, e.g. `invalid option -- 'z'`.
pub fn parse(spec: &OptSpec, args: &[String]) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            out.operands.extend(args[i + 1..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, attached) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let exact = spec.long.iter().find(|l| l.name == name);
            let candidates: Vec<&LongOpt> = match exact {
                Some(l) => vec![l],
                None => spec
                    .long
                    .iter()
                    .filter(|l| l.name.starts_with(name))
                    .collect(),
            };
            let distinct_keys = {
                let mut k: Vec<(&str, HasArg)> =
                    candidates.iter().map(|l| (l.key, l.has_arg)).collect();
                k.dedup();
                k.len()
            };
            let long = match candidates.len() {
                // glibc quotes the whole word, `=VALUE` included.
                0 => return Err(format!("unrecognized option '{arg}'")),
                1 => candidates[0],
                _ if distinct_keys == 1 => candidates[0],
                _ => {
                    let list: Vec<String> = candidates
                        .iter()
                        .map(|l| format!("'--{}'", l.name))
                        .collect();
                    return Err(format!(
                        "option '{arg}' is ambiguous; possibilities: {}",
                        list.join(" ")
                    ));
                }
            };
            let value = match (long.has_arg, attached) {
                (HasArg::No, Some(_)) => {
                    return Err(format!(
                        "option '--{}' doesn't allow an argument",
                        long.name
                    ));
                }
                (HasArg::No, None) => None,
                (_, Some(v)) => Some(v),
                (HasArg::Optional, None) => None,
                (HasArg::Required, None) => {
                    i += 1;
                    match args.get(i) {
                        Some(v) => Some(v.clone()),
                        None => {
                            return Err(format!("option '--{}' requires an argument", long.name));
                        }
                    }
                }
            };
            out.opts.push(Opt {
                key: long.key.to_string(),
                value,
            });
            i += 1;
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg.chars().skip(1).collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                match short_has_arg(spec.short, c) {
                    None => return Err(format!("invalid option -- '{c}'")),
                    Some(HasArg::No) => out.opts.push(Opt {
                        key: c.to_string(),
                        value: None,
                    }),
                    Some(kind) => {
                        let rest: String = chars[j + 1..].iter().collect();
                        let value = if !rest.is_empty() {
                            Some(rest)
                        } else if kind == HasArg::Optional {
                            None
                        } else {
                            i += 1;
                            match args.get(i) {
                                Some(v) => Some(v.clone()),
                                None => {
                                    return Err(format!("option requires an argument -- '{c}'"));
                                }
                            }
                        };
                        out.opts.push(Opt {
                            key: c.to_string(),
                            value,
                        });
                        break;
                    }
                }
                j += 1;
            }
            i += 1;
            continue;
        }
        if spec.stop_at_operand {
            out.operands.extend(args[i..].iter().cloned());
            break;
        }
        out.operands.push(arg.clone());
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const SPEC: OptSpec = OptSpec {
        short: "nrk:t:",
        long: &[
            LongOpt {
                name: "numeric-sort",
                has_arg: HasArg::No,
                key: "n",
            },
            LongOpt {
                name: "key",
                has_arg: HasArg::Required,
                key: "k",
            },
            LongOpt {
                name: "reverse",
                has_arg: HasArg::No,
                key: "r",
            },
        ],
        stop_at_operand: false,
    };

    #[test]
    fn clusters_values_and_permutation() {
        let p = parse(&SPEC, &s(&["-nrk2", "file", "-t", ",", "--", "-x"])).unwrap();
        assert_eq!(p.operands, s(&["file", "-x"]));
        assert!(p.has("n") && p.has("r"));
        assert_eq!(p.last("k"), Some("2"));
        assert_eq!(p.last("t"), Some(","));
    }

    #[test]
    fn long_options_and_abbreviations() {
        let p = parse(&SPEC, &s(&["--num", "--key=3", "-"])).unwrap();
        assert!(p.has("n"));
        assert_eq!(p.last("k"), Some("3"));
        assert_eq!(p.operands, s(&["-"]));
    }

    #[test]
    fn gnu_error_texts() {
        assert_eq!(
            parse(&SPEC, &s(&["-z"])).unwrap_err(),
            "invalid option -- 'z'"
        );
        assert_eq!(
            parse(&SPEC, &s(&["-k"])).unwrap_err(),
            "option requires an argument -- 'k'"
        );
        assert_eq!(
            parse(&SPEC, &s(&["--bogus"])).unwrap_err(),
            "unrecognized option '--bogus'"
        );
        assert_eq!(
            parse(&SPEC, &s(&["--reverse=1"])).unwrap_err(),
            "option '--reverse' doesn't allow an argument"
        );
    }
}
