//! A table of records: kept in creation order under a key (which cursors
//! point into, so a page costs O(page) whatever the total), with an index by
//! ID and an optional index by name unique within a scope.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Answer, B64, Problem};

/// A record a [`Table`] can hold.
pub trait Record {
    /// Its ID.
    fn id(&self) -> &str;
    /// Its name and the scope it is unique in (an organization's ID for a
    /// space, `""` for the account), when its kind has unique names.
    fn unique_name(&self) -> Option<(&str, &str)> {
        None
    }
}

/// Records by key, with an ID index and a (scope, name) index.
#[derive(Debug, Clone)]
pub struct Table<T> {
    rows: BTreeMap<u64, T>,
    by_id: HashMap<String, u64>,
    by_name: HashMap<(String, String), u64>,
    /// Records visited by pages so far.
    examined: Cell<u64>,
    /// Name look-ups so far.
    probes: Cell<u64>,
    /// Records visited by whole-table walks ([`values`](Self::values)).
    walked: Cell<u64>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: BTreeMap::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            examined: Cell::new(0),
            probes: Cell::new(0),
            walked: Cell::new(0),
        }
    }
}

fn name_key(scope: &str, name: &str) -> (String, String) {
    (scope.to_owned(), name.to_owned())
}

impl<T: Record> Table<T> {
    /// A table holding `rows`, indexed.
    pub fn from_rows(rows: BTreeMap<u64, T>) -> Self {
        let mut table = Table::default();
        for (key, record) in &rows {
            table.by_id.insert(record.id().to_owned(), *key);
            if let Some((scope, name)) = record.unique_name() {
                table.by_name.insert(name_key(scope, name), *key);
            }
        }
        table.rows = rows;
        table
    }

    /// The key of the record named `name` in `scope`: one hash look-up.
    pub fn key_of_name(&self, scope: &str, name: &str) -> Option<u64> {
        self.probes.set(self.probes.get() + 1);
        self.by_name.get(&name_key(scope, name)).copied()
    }

    /// The record named `name` in `scope`.
    pub fn by_name(&self, scope: &str, name: &str) -> Option<&T> {
        self.key_of_name(scope, name).map(|key| &self.rows[&key])
    }

    /// Adds a record under `key`; refuses (giving it back) a name its scope
    /// already has.
    pub fn insert(&mut self, key: u64, record: T) -> Result<&T, T> {
        if let Some((scope, name)) = record.unique_name() {
            self.probes.set(self.probes.get() + 1);
            let name = name_key(scope, name);
            if self.by_name.contains_key(&name) {
                return Err(record);
            }
            self.by_name.insert(name, key);
        }
        self.by_id.insert(record.id().to_owned(), key);
        Ok(self.rows.entry(key).or_insert(record))
    }

    /// The key of the record with this ID.
    pub fn key_of(&self, id: &str) -> Option<u64> {
        self.by_id.get(id).copied()
    }

    /// The record with this ID.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.key_of(id).map(|key| &self.rows[&key])
    }

    /// Changes the record with this ID (its ID must stay); the name index
    /// follows a rename. `None` when there is no such record.
    pub fn update<R>(&mut self, id: &str, change: impl FnOnce(&mut T) -> R) -> Option<R> {
        let key = self.key_of(id)?;
        let record = self.rows.get_mut(&key).expect("indexed");
        let before = record.unique_name().map(|(s, n)| name_key(s, n));
        let result = change(record);
        let after = record.unique_name().map(|(s, n)| name_key(s, n));
        if before != after {
            if let Some(before) = before {
                self.by_name.remove(&before);
            }
            if let Some(after) = after {
                self.by_name.insert(after, key);
            }
        }
        Some(result)
    }

    /// Removes the record with this ID.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let key = self.by_id.remove(id)?;
        let record = self.rows.remove(&key).expect("indexed");
        if let Some((scope, name)) = record.unique_name() {
            self.by_name.remove(&name_key(scope, name));
        }
        Some(record)
    }

    /// Keeps only the records `keep` accepts (O(n)).
    pub fn retain(&mut self, keep: impl Fn(&T) -> bool) {
        let gone: Vec<String> = self
            .rows
            .values()
            .filter(|r| !keep(r))
            .map(|r| r.id().to_owned())
            .collect();
        for id in gone {
            self.remove(&id);
        }
    }

    /// Every record, in key order (each one visited is counted in
    /// [`walked`](Self::walked)).
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.rows
            .values()
            .inspect(|_| self.walked.set(self.walked.get() + 1))
    }

    /// Records visited by whole-table walks so far: a rule that scans the
    /// table shows here.
    pub fn walked(&self) -> u64 {
        self.walked.get()
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The highest key, if any.
    pub fn last_key(&self) -> Option<u64> {
        self.rows.keys().next_back().copied()
    }

    /// Records visited by [`page`](Self::page) so far.
    pub fn examined(&self) -> u64 {
        self.examined.get()
    }

    /// Name look-ups so far (one per insert of a named record, and one per
    /// [`by_name`](Self::by_name)).
    pub fn probes(&self) -> u64 {
        self.probes.get()
    }

    /// One page after the cursor: up to `limit` records that `keep` accepts,
    /// in key order, and the next page's cursor. Visits at most `limit + 1`
    /// accepted records (plus the rejected ones between them).
    pub fn page(
        &self,
        cursor: Option<&str>,
        limit: usize,
        keep: impl Fn(&T) -> bool,
    ) -> Answer<(Vec<&T>, Option<String>)> {
        let after = match cursor {
            Some(c) => decode_cursor(c)?,
            None => 0,
        };
        let mut page: Vec<(u64, &T)> = Vec::with_capacity(limit + 1);
        for (key, record) in self.rows.range(after + 1..) {
            self.examined.set(self.examined.get() + 1);
            if keep(record) {
                page.push((*key, record));
                if page.len() > limit {
                    break;
                }
            }
        }
        let has_more = page.len() > limit;
        page.truncate(limit);
        let next = has_more.then(|| encode_cursor(page.last().map_or(after, |(key, _)| *key)));
        Ok((page.into_iter().map(|(_, r)| r).collect(), next))
    }
}

impl<T: Record> Table<T> {
    /// [`page`](Self::page) over `first` (records kept outside the table,
    /// such as built-in ones, at positions 1, 2, …) followed by the table's
    /// records (the one under key `k` at position `first.len() + k`).
    pub fn page_behind<'a>(
        &'a self,
        first: &'a [T],
        cursor: Option<&str>,
        limit: usize,
        keep: impl Fn(&T) -> bool,
    ) -> Answer<(Vec<&'a T>, Option<String>)> {
        let after = match cursor {
            Some(c) => decode_cursor(c)?,
            None => 0,
        };
        let offset = first.len() as u64;
        let fixed = (1..).zip(first);
        let rows = self
            .rows
            .range(after.saturating_sub(offset) + 1..)
            .map(|(key, record)| (offset + key, record));
        let mut page: Vec<(u64, &T)> = Vec::with_capacity(limit + 1);
        for (position, record) in fixed.chain(rows).filter(|(p, _)| *p > after) {
            self.examined.set(self.examined.get() + 1);
            if keep(record) {
                page.push((position, record));
                if page.len() > limit {
                    break;
                }
            }
        }
        let has_more = page.len() > limit;
        page.truncate(limit);
        let next = has_more.then(|| encode_cursor(page.last().map_or(after, |(p, _)| *p)));
        Ok((page.into_iter().map(|(_, r)| r).collect(), next))
    }
}

/// Cursors are opaque to clients: base64 of `cursor:<last key>`. An empty
/// cursor means the start, like none at all.
pub(crate) fn encode_cursor(key: u64) -> String {
    B64.encode(format!("cursor:{key}"))
}

pub(crate) fn decode_cursor(cursor: &str) -> Answer<u64> {
    if cursor.is_empty() {
        return Ok(0);
    }
    B64.decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| text.strip_prefix("cursor:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| Problem::new(400, "cursor is not a cursor this server issued."))
}

/// A table is saved as its records by key.
impl<T: Serialize> Serialize for Table<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(serializer)
    }
}

/// Records by key, or (as older state files keep memberships and custom
/// roles) a list, keyed 1, 2, … in order.
impl<'de, T: serde::de::DeserializeOwned + Record> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = serde_json::Value::deserialize(deserializer)?;
        let rows = if value.is_array() {
            let list: Vec<T> = serde_json::from_value(value).map_err(D::Error::custom)?;
            (1..).zip(list).collect()
        } else {
            serde_json::from_value(value).map_err(D::Error::custom)?
        };
        Ok(Table::from_rows(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Named(String, String, String);

    impl Record for Named {
        fn id(&self) -> &str {
            &self.0
        }
        fn unique_name(&self) -> Option<(&str, &str)> {
            Some((&self.1, &self.2))
        }
    }

    fn named(id: &str, scope: &str, name: &str) -> Named {
        Named(id.into(), scope.into(), name.into())
    }

    #[test]
    fn names_are_unique_within_their_scope_and_follow_renames() {
        let mut t = Table::default();
        t.insert(1, named("a", "s", "x")).unwrap();
        t.insert(2, named("b", "t", "x")).unwrap();
        assert!(t.insert(3, named("c", "s", "x")).is_err());
        t.update("a", |r| r.2 = "y".into()).unwrap();
        t.insert(3, named("c", "s", "x")).unwrap();
        assert_eq!(t.by_name("s", "y").unwrap().0, "a");
        t.retain(|r| r.1 != "s");
        assert_eq!(t.len(), 1);
        assert!(t.by_name("s", "x").is_none());
        assert_eq!(t.get("b").unwrap().2, "x");
    }

    #[test]
    fn pages_behind_fixed_records_follow_one_cursor() {
        let mut t = Table::default();
        t.insert(1, named("c1", "", "c1")).unwrap();
        t.insert(3, named("c3", "", "c3")).unwrap();
        let first = [named("p1", "", "p1"), named("p2", "", "p2")];
        let ids = |page: &[&Named]| page.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
        let (page, next) = t.page_behind(&first, None, 3, |_| true).unwrap();
        assert_eq!(ids(&page), ["p1", "p2", "c1"]);
        let (page, next) = t.page_behind(&first, next.as_deref(), 3, |_| true).unwrap();
        assert_eq!(ids(&page), ["c3"]);
        assert!(next.is_none());
        let (page, next) = t.page_behind(&first, None, 1, |r| r.0 != "p1").unwrap();
        assert_eq!(ids(&page), ["p2"]);
        let (page, _) = t.page_behind(&first, next.as_deref(), 5, |_| true).unwrap();
        assert_eq!(ids(&page), ["c1", "c3"]);
    }

    #[test]
    fn inserting_n_named_records_costs_n_probes() {
        let mut t = Table::default();
        for i in 0..2_000u64 {
            t.insert(i, named(&format!("{i}"), &format!("{}", i % 7), "n"))
                .ok();
        }
        assert_eq!(t.probes(), 2_000);
    }
}
