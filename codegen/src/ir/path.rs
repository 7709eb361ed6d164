//! The path an [`Operation`] sends: its template up to a `#` fragment, and the parameters
//! that fill it.

use super::{Operation, Param, ParamLocation, PathPart};

impl Operation {
    /// The pieces of the path template that are sent. A `#` starts a fragment, which HTTP never
    /// sends (Box's `/files/{file_id}#get_shared_link` tells apart operations on one path): the
    /// pieces end with the literal text before it.
    pub fn sent_path_parts(&self) -> Vec<PathPart> {
        let mut sent = Vec::new();
        for part in &self.path_parts {
            match part {
                PathPart::Literal(text) => match text.split_once('#') {
                    Some((before, _)) => {
                        sent.push(PathPart::Literal(before.to_owned()));
                        break;
                    }
                    None => sent.push(part.clone()),
                },
                PathPart::Param(_) => sent.push(part.clone()),
            }
        }
        sent
    }

    /// The path parameter a template's `{name}` stands for (lowering reports a name without one).
    pub fn path_param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == name)
    }
}
