//! The official SDKs' calls as the fixtures record them (`client.get_cluster('cls-1')`), parsed
//! into a method name and arguments: Python string literals, integers and placeholder names that
//! stand for values given beside the call. Shared by the runtime's signing-vector test and the
//! SDK's wire test (included by path, as test crates cannot depend on each other).

/// One argument of a recorded SDK call (`client.get_cluster('cls-1')`).
#[derive(Debug, Clone, PartialEq)]
pub enum PyArg {
    Text(String),
    Int(i64),
    /// A name standing for a value the vector gives in `sdk_call_args` (a request body).
    Placeholder(String),
}

impl PyArg {
    /// The argument as `str()` gives it; a placeholder has no text.
    pub fn text(&self) -> String {
        match self {
            PyArg::Text(t) => t.clone(),
            PyArg::Int(n) => n.to_string(),
            PyArg::Placeholder(p) => panic!("{p} cannot be a path segment"),
        }
    }
}

impl PyCall {
    /// A keyword argument, else the positional one at `position`.
    pub fn arg(&self, keyword: &str, position: usize) -> Option<&PyArg> {
        self.kwargs.iter().find(|(k, _)| k == keyword).map(|(_, v)| v).or(self.args.get(position))
    }
}

/// A recorded SDK call: method name, positional and keyword arguments.
pub struct PyCall {
    pub method: String,
    pub args: Vec<PyArg>,
    pub kwargs: Vec<(String, PyArg)>,
}

/// Parses `client.NAME(arg, ..., key=arg)` with string literals, integers and placeholders.
pub fn parse_call(call: &str) -> PyCall {
    let rest =
        call.trim().strip_prefix("client.").unwrap_or_else(|| panic!("sdk_call {call:?} is not client.<method>(..)"));
    let (method, rest) = rest.split_once('(').unwrap_or_else(|| panic!("sdk_call {call:?} has no argument list"));
    let inner = rest.strip_suffix(')').unwrap_or_else(|| panic!("sdk_call {call:?} does not end with ')'"));
    let mut pieces = Vec::new();
    let (mut current, mut quote, mut escaped) = (String::new(), None::<char>, false);
    for c in inner.chars() {
        match (quote, c) {
            (Some(_), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, ',') => {
                pieces.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        escaped = false;
        current.push(c);
    }
    if !current.trim().is_empty() {
        pieces.push(current);
    }
    let parse_arg = |piece: &str| -> PyArg {
        let piece = piece.trim();
        let quoted = piece.len() >= 2
            && (piece.starts_with('\'') && piece.ends_with('\'') || piece.starts_with('"') && piece.ends_with('"'));
        if quoted {
            PyArg::Text(piece[1..piece.len() - 1].to_owned())
        } else if let Ok(n) = piece.parse() {
            PyArg::Int(n)
        } else {
            PyArg::Placeholder(piece.to_owned())
        }
    };
    let mut parsed = PyCall { method: method.trim().to_owned(), args: Vec::new(), kwargs: Vec::new() };
    for piece in pieces {
        let keyword = piece
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty() && k.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        match keyword {
            Some((key, value)) => parsed.kwargs.push((key.trim().to_owned(), parse_arg(value))),
            None => parsed.args.push(parse_arg(&piece)),
        }
    }
    parsed
}

#[cfg(test)]
#[test]
fn sdk_calls_parse() {
    let call = parse_call("client.create_cluster(BatchCompute-CreateCluster document_BODY, token='a,b\\'c')");
    assert_eq!(call.method, "create_cluster");
    assert_eq!(call.args, [PyArg::Placeholder("BatchCompute-CreateCluster document_BODY".into())]);
    assert_eq!(call.kwargs, [("token".to_owned(), PyArg::Text("a,b'c".into()))]);
    let call = parse_call("client.list_cluster_instances('cls-1', 'group1', '', 10)");
    assert_eq!(
        call.args,
        [PyArg::Text("cls-1".into()), PyArg::Text("group1".into()), PyArg::Text(String::new()), PyArg::Int(10)]
    );
    let call = parse_call("client.change_cluster_desired_vm_count('c', group1=5)");
    assert_eq!(call.kwargs, [("group1".to_owned(), PyArg::Int(5))]);
}
