//! `getopts OPTSTRING NAME [ARGS]`: POSIX option parsing for shell functions and scripts.
//!
//! The position inside a cluster of options (`-abc`) is kept in the shell state next to
//! `OPTIND`, as bash keeps it privately; resetting `OPTIND=1` starts over.

use super::io::Io;
use super::run::Exec;
use super::state::ShellState;

pub async fn getopts(st: &mut ShellState, io: &mut Io, args: Vec<String>) -> Exec {
    if args.len() < 2 {
        // bash prints this usage line without its own name in front.
        say(
            &io.stderr,
            "getopts: usage: getopts optstring name [arg ...]\n",
        )
        .await;
        return Ok(2);
    }
    let spec = args[0].clone();
    let name = args[1].clone();
    let words: Vec<String> = if args.len() > 2 {
        args[2..].to_vec()
    } else {
        st.positional.clone()
    };
    let silent = spec.starts_with(':');
    let spec = spec.trim_start_matches(':').to_string();
    let mut optind: usize = st
        .get_str("OPTIND")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1);
    if optind != st.getopts_state.0 {
        // OPTIND was changed by the script (or this is the first call): restart the cluster.
        st.getopts_state = (optind, 1);
    }
    let mut pos = st.getopts_state.1;
    let finish = |st: &mut ShellState, optind: usize, pos: usize| {
        st.set_var("OPTIND", &optind.to_string());
        st.getopts_state = (optind, pos);
    };
    let Some(word) = words.get(optind - 1).cloned() else {
        st.set_var(&name, "?");
        finish(st, optind, 1);
        return Ok(1);
    };
    if pos == 1 {
        if word == "--" {
            st.set_var(&name, "?");
            finish(st, optind + 1, 1);
            return Ok(1);
        }
        if !word.starts_with('-') || word == "-" {
            st.set_var(&name, "?");
            finish(st, optind, 1);
            return Ok(1);
        }
    }
    let chars: Vec<char> = word.chars().collect();
    let Some(&c) = chars.get(pos) else {
        st.set_var(&name, "?");
        finish(st, optind, 1);
        return Ok(1);
    };
    pos += 1;
    let at_end = pos >= chars.len();
    let takes_arg = spec
        .find(c)
        .map(|i| spec[i + c.len_utf8()..].starts_with(':'));
    match takes_arg {
        None => {
            if silent {
                st.set_var("OPTARG", &c.to_string());
            } else {
                st.unset("OPTARG");
                say(
                    &io.stderr,
                    &format!("{}: illegal option -- {c}\n", st.shell_name),
                )
                .await;
            }
            st.set_var(&name, "?");
        }
        Some(false) => {
            st.unset("OPTARG");
            st.set_var(&name, &c.to_string());
        }
        Some(true) => {
            if !at_end {
                let rest: String = chars[pos..].iter().collect();
                st.set_var("OPTARG", &rest);
                st.set_var(&name, &c.to_string());
                finish(st, optind + 1, 1);
                return Ok(0);
            }
            match words.get(optind) {
                Some(v) => {
                    st.set_var("OPTARG", v);
                    st.set_var(&name, &c.to_string());
                    finish(st, optind + 2, 1);
                    return Ok(0);
                }
                None => {
                    if silent {
                        st.set_var(&name, ":");
                        st.set_var("OPTARG", &c.to_string());
                    } else {
                        st.unset("OPTARG");
                        st.set_var(&name, "?");
                        say(
                            &io.stderr,
                            &format!("{}: option requires an argument -- {c}\n", st.shell_name),
                        )
                        .await;
                    }
                    finish(st, optind + 1, 1);
                    return Ok(0);
                }
            }
        }
    }
    if at_end {
        optind += 1;
        pos = 1;
    }
    finish(st, optind, pos);
    Ok(0)
}

/// getopts names itself by `$0` (like bash's `bash: illegal option -- z`), not `mirage:`.
async fn say(stderr: &super::io::SharedWriter, text: &str) {
    let mut w = stderr.clone();
    let _ = tokio::io::AsyncWriteExt::write_all(&mut w, text.as_bytes()).await;
}
