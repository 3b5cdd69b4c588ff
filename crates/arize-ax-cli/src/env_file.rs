//! Writing a secret into a dotenv file: `NAME=value` replaces that
//! variable's line (or is appended), every other line is kept; the file is
//! written whole to a new file beside it (mode 0600 on Unix) and renamed
//! over it, so a reader sees the old file or the new one, never half; the
//! file itself is never a symlink written through (the folders above it
//! are taken as they are).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A dotenv file about to receive a secret: checked, and its temporary
/// sibling created, before the secret exists (so a file that cannot be
/// written is known before a key is made).
#[derive(Debug)]
pub struct Pending {
    path: PathBuf,
    temp: PathBuf,
    file: fs::File,
}

/// Checks `path` (not a symlink, not a directory, its folder exists) and
/// creates the temporary file the write will go through.
pub fn prepare(path: &Path) -> Result<Pending> {
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            bail!(
                "{} is a symbolic link; refusing to write a secret through it (give the real path)",
                path.display()
            );
        }
        if meta.is_dir() {
            bail!("{} is a directory", path.display());
        }
    }
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let temp = folder.join(format!(
        ".{}.{}-{stamp}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(&temp)
        .with_context(|| format!("cannot create a file in {}", folder.display()))?;
    Ok(Pending {
        path: path.to_path_buf(),
        temp,
        file,
    })
}

impl Pending {
    /// Writes the file with `name=value` in it, and renames it into place.
    pub fn write(mut self, name: &str, value: &str) -> Result<()> {
        let result = self.write_inner(name, value);
        if result.is_err() {
            let _ = fs::remove_file(&self.temp);
        }
        result
    }

    fn write_inner(&mut self, name: &str, value: &str) -> Result<()> {
        if value.contains(['\n', '\r', '\'']) {
            bail!("the value cannot be written to a dotenv file (it holds a quote or a newline)");
        }
        let plain = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~+/=:@".contains(c));
        let assignment = if plain {
            format!("{name}={value}")
        } else {
            format!("{name}='{value}'")
        };
        let old = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", self.path.display()));
            }
        };
        let mut lines: Vec<String> = Vec::new();
        let mut replaced = false;
        for existing in old.lines() {
            if defines(existing, name) {
                if !replaced {
                    // An exported variable stays exported.
                    let export = existing.trim_start().starts_with("export ");
                    lines.push(match export {
                        true => format!("export {assignment}"),
                        false => assignment.clone(),
                    });
                    replaced = true;
                }
            } else {
                lines.push(existing.to_owned());
            }
        }
        if !replaced {
            lines.push(assignment);
        }
        let mut text = lines.join("\n");
        text.push('\n');
        self.file.write_all(text.as_bytes())?;
        self.file.sync_all()?;
        fs::rename(&self.temp, &self.path)
            .with_context(|| format!("cannot replace {}", self.path.display()))?;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Gone after a rename; removed when the write never happened.
        let _ = fs::remove_file(&self.temp);
    }
}

/// Whether a dotenv line sets `name` (`NAME=…` or `export NAME=…`).
fn defines(line: &str, name: &str) -> bool {
    let line = line.trim_start();
    let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
    line.strip_prefix(name)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_lines_stay_and_the_variable_is_replaced_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        fs::write(
            &path,
            "A=1\nexport ARIZE_API_KEY=old\n# note\nARIZE_API_KEY_FILE=x\nARIZE_API_KEY = older\n",
        )
        .unwrap();
        prepare(&path)
            .unwrap()
            .write("ARIZE_API_KEY", "ak-new")
            .unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "A=1\nexport ARIZE_API_KEY=ak-new\n# note\nARIZE_API_KEY_FILE=x\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let fresh = dir.path().join("new.env");
        prepare(&fresh)
            .unwrap()
            .write("ARIZE_API_KEY", "a b")
            .unwrap();
        assert_eq!(fs::read_to_string(&fresh).unwrap(), "ARIZE_API_KEY='a b'\n");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_or_a_missing_folder_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, "A=1\n").unwrap();
        let link = dir.path().join("link.env");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = prepare(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "A=1\n");
        assert!(prepare(&dir.path().join("no/such/dir/.env")).is_err());
    }
}
