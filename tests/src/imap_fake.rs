//! A fake IMAP server on 127.0.0.1 for the Email Trigger's tests: the subset of IMAP4rev1
//! (RFC 3501) weft's client sends — LOGIN, LIST, SELECT, UID SEARCH, UID FETCH (`UID`,
//! `RFC822.SIZE`, `BODY.PEEK[]`), UID STORE `+FLAGS (\Seen)`, LOGOUT — over one mailbox, `INBOX`,
//! whose messages a test adds. Searches understand `ALL`, `SEEN`, `UNSEEN`, `UID <set>`,
//! `SUBJECT`/`FROM "<text>"` (substring of the header), `NOT`, `OR` and take dates as matching.
//! It records every command it received, with the LOGIN's password replaced.

use std::sync::Arc;

use parking_lot::Mutex;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One stored message.
#[derive(Clone, Debug)]
struct Stored {
    uid: u32,
    source: Vec<u8>,
    seen: bool,
}

#[derive(Debug)]
struct Mailbox {
    user: String,
    password: String,
    messages: Vec<Stored>,
    uid_next: u32,
    commands: Vec<String>,
}

/// The fake server; it serves until the test's runtime ends.
#[derive(Clone, Debug)]
pub struct FakeImap {
    /// Its port on 127.0.0.1.
    pub port: u16,
    mailbox: Arc<Mutex<Mailbox>>,
}

/// The UIDVALIDITY of the fake's INBOX.
pub const UID_VALIDITY: u32 = 1_700_000_000;

impl FakeImap {
    /// Starts a server that accepts `user` with `password`.
    pub async fn start(user: &str, password: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mailbox = Arc::new(Mutex::new(Mailbox {
            user: user.to_owned(),
            password: password.to_owned(),
            messages: Vec::new(),
            uid_next: 1,
            commands: Vec::new(),
        }));
        let shared = Arc::clone(&mailbox);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        Self { port, mailbox }
    }

    /// Delivers `source` (an RFC 5322 message, CRLF line ends) unread; its UID.
    pub fn deliver(&self, source: &str) -> u32 {
        let mut mailbox = self.mailbox.lock();
        let uid = mailbox.uid_next;
        mailbox.uid_next += 1;
        mailbox.messages.push(Stored {
            uid,
            source: source.as_bytes().to_vec(),
            seen: false,
        });
        uid
    }

    /// Whether message `uid` has the `\Seen` flag.
    pub fn is_seen(&self, uid: u32) -> bool {
        self.mailbox
            .lock()
            .messages
            .iter()
            .any(|message| message.uid == uid && message.seen)
    }

    /// The commands received so far, without tags (a LOGIN's password as `***`).
    pub fn commands(&self) -> Vec<String> {
        self.mailbox.lock().commands.clone()
    }
}

async fn serve(stream: TcpStream, mailbox: Arc<Mutex<Mailbox>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write
        .write_all(b"* OK [CAPABILITY IMAP4rev1 UIDPLUS] fake IMAP ready\r\n")
        .await?;
    while let Some(line) = lines.next_line().await? {
        let (tag, command) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let answer = answer(&mut mailbox.lock(), tag, command);
        write.write_all(&answer).await?;
        if command.eq_ignore_ascii_case("LOGOUT") {
            break;
        }
    }
    Ok(())
}

/// The whole answer to one command.
fn answer(mailbox: &mut Mailbox, tag: &str, command: &str) -> Vec<u8> {
    let words = tokens(command);
    let upper: Vec<String> = words.iter().map(|word| word.to_ascii_uppercase()).collect();
    let recorded = match upper.first().map(String::as_str) {
        Some("LOGIN") => format!("LOGIN {} ***", words.get(1).cloned().unwrap_or_default()),
        _ => command.to_owned(),
    };
    mailbox.commands.push(recorded);
    let ok = |text: &str| format!("{tag} OK {text}\r\n").into_bytes();
    match upper
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["CAPABILITY"] => [
            b"* CAPABILITY IMAP4rev1 UIDPLUS\r\n".to_vec(),
            ok("CAPABILITY completed"),
        ]
        .concat(),
        ["LOGIN", _, _] => {
            if words[1] == mailbox.user && words[2] == mailbox.password {
                ok("LOGIN completed")
            } else {
                format!("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n").into_bytes()
            }
        }
        ["LIST", ..] => [
            b"* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n".to_vec(),
            ok("LIST completed"),
        ]
        .concat(),
        ["SELECT", "INBOX"] => {
            let unseen = mailbox.messages.iter().filter(|m| !m.seen).count();
            format!(
                "* {} EXISTS\r\n* 0 RECENT\r\n* OK [UNSEEN {unseen}] unseen\r\n* OK [UIDVALIDITY {UID_VALIDITY}] UIDs valid\r\n* OK [UIDNEXT {}] next UID\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n{tag} OK [READ-WRITE] SELECT completed\r\n",
                mailbox.messages.len(),
                mailbox.uid_next
            )
            .into_bytes()
        }
        ["SELECT", _] => format!("{tag} NO Mailbox does not exist\r\n").into_bytes(),
        ["UID", "SEARCH", ..] => {
            let criteria = &upper[2..];
            let matching: Vec<String> = mailbox
                .messages
                .iter()
                .filter(|message| {
                    let mut position = 0;
                    let mut all = true;
                    while position < criteria.len() {
                        all &= matches(message, mailbox.messages.last(), criteria, &mut position);
                    }
                    all
                })
                .map(|message| message.uid.to_string())
                .collect();
            [
                format!("* SEARCH {}\r\n", matching.join(" "))
                    .replace(" \r\n", "\r\n")
                    .into_bytes(),
                ok("SEARCH completed"),
            ]
            .concat()
        }
        ["UID", "FETCH", set, items @ ..] => {
            let items = items.join(" ");
            let mut out = Vec::new();
            for (index, message) in mailbox.messages.iter().enumerate() {
                if !in_set(message.uid, set, mailbox.messages.last()) {
                    continue;
                }
                let sequence = index + 1;
                if items.contains("BODY.PEEK[]") {
                    out.extend(
                        format!(
                            "* {sequence} FETCH (UID {} BODY[] {{{}}}\r\n",
                            message.uid,
                            message.source.len()
                        )
                        .into_bytes(),
                    );
                    out.extend(&message.source);
                    out.extend(b")\r\n");
                } else {
                    out.extend(
                        format!(
                            "* {sequence} FETCH (UID {} RFC822.SIZE {})\r\n",
                            message.uid,
                            message.source.len()
                        )
                        .into_bytes(),
                    );
                }
            }
            out.extend(ok("FETCH completed"));
            out
        }
        ["UID", "STORE", set, "+FLAGS", ..] if upper.join(" ").contains("\\SEEN") => {
            let last = mailbox.messages.last().map(|message| message.uid);
            let mut out = Vec::new();
            for (index, message) in mailbox.messages.iter_mut().enumerate() {
                if in_set_uid(message.uid, set, last) {
                    message.seen = true;
                    out.extend(
                        format!(
                            "* {} FETCH (UID {} FLAGS (\\Seen))\r\n",
                            index + 1,
                            message.uid
                        )
                        .into_bytes(),
                    );
                }
            }
            out.extend(ok("STORE completed"));
            out
        }
        ["NOOP"] => ok("NOOP completed"),
        ["LOGOUT"] => [
            b"* BYE fake IMAP logging out\r\n".to_vec(),
            ok("LOGOUT completed"),
        ]
        .concat(),
        _ => format!("{tag} BAD command not understood\r\n").into_bytes(),
    }
}

/// Whether `message` meets the search key at `position` (which moves past it).
fn matches(
    message: &Stored,
    last: Option<&Stored>,
    criteria: &[String],
    position: &mut usize,
) -> bool {
    let key = criteria[*position].as_str();
    *position += 1;
    let mut argument = || {
        let value = criteria.get(*position).cloned().unwrap_or_default();
        *position += 1;
        value
    };
    match key {
        "ALL" => true,
        "SEEN" => message.seen,
        "UNSEEN" => !message.seen,
        "UID" => in_set(message.uid, &argument(), last),
        "SUBJECT" | "FROM" => {
            let wanted = argument();
            let header = format!("{key}:");
            String::from_utf8_lossy(&message.source)
                .lines()
                .any(|line| {
                    line.to_ascii_uppercase().starts_with(&header)
                        && line.to_ascii_uppercase().contains(&wanted)
                })
        }
        "SINCE" | "BEFORE" | "ON" => {
            argument();
            true
        }
        "NOT" => !matches(message, last, criteria, position),
        "OR" => {
            let left = matches(message, last, criteria, position);
            let right = matches(message, last, criteria, position);
            left || right
        }
        _ => false,
    }
}

fn in_set(uid: u32, set: &str, last: Option<&Stored>) -> bool {
    in_set_uid(uid, set, last.map(|message| message.uid))
}

/// Whether `uid` is in the sequence set `set` (`*` is the highest UID, `last`).
fn in_set_uid(uid: u32, set: &str, last: Option<u32>) -> bool {
    let value = |text: &str| {
        if text == "*" {
            last.unwrap_or(0)
        } else {
            text.parse().unwrap_or(0)
        }
    };
    set.split(',').any(|part| match part.split_once(':') {
        Some((from, to)) => {
            let (from, to) = (value(from), value(to));
            (from.min(to)..=from.max(to)).contains(&uid)
        }
        None => value(part) == uid,
    })
}

/// The words of a command; a quoted string is one word, unquoted.
fn tokens(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = command.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == ' ' {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => word.extend(chars.next()),
                    '"' => break,
                    c => word.push(c),
                }
            }
            words.push(word);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c == ' ' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            words.push(word);
        }
    }
    words
}
