//! Refreshing a key: the same key, a new secret.

use std::time::Duration;

use arize_ax_api::limits::REFRESH_GRACE_PERIOD_MAX_SECONDS;
use arize_ax_api::ops;
use arize_ax_api::types as raw;
use chrono::{DateTime, Utc};

use crate::api_keys::REFRESH;
use crate::api_keys::record::{IssuedKey, Key, from_refreshed};
use crate::core::checks::check_id;
use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::future::awaitable;
use crate::core::warning::note;

/// A key to refresh: by ID, or its record (whose expiry lets the document's
/// rules be checked before sending).
#[derive(Debug, Clone, PartialEq)]
pub enum KeyRef {
    /// A key ID.
    Id(String),
    /// A key as listed.
    Key(Box<Key>),
}

impl KeyRef {
    fn id(&self) -> &str {
        match self {
            KeyRef::Id(id) => id,
            KeyRef::Key(key) => &key.id,
        }
    }
}

impl From<&str> for KeyRef {
    fn from(id: &str) -> Self {
        KeyRef::Id(id.to_owned())
    }
}

impl From<String> for KeyRef {
    fn from(id: String) -> Self {
        KeyRef::Id(id)
    }
}

impl From<&Key> for KeyRef {
    fn from(key: &Key) -> Self {
        KeyRef::Key(Box::new(key.clone()))
    }
}

impl From<Key> for KeyRef {
    fn from(key: Key) -> Self {
        KeyRef::Key(Box::new(key))
    }
}

/// A request to give a key a new secret; see
/// [`ApiKeys::refresh`](crate::api_keys::ApiKeys::refresh).
#[derive(Debug, Clone)]
#[must_use = "a refresh request does nothing until sent or awaited"]
pub struct RefreshApiKey {
    client: Client,
    key: KeyRef,
    expires_at: Option<DateTime<Utc>>,
    grace: Option<Duration>,
}

impl RefreshApiKey {
    pub(crate) fn new(client: Client, key: KeyRef) -> Self {
        RefreshApiKey {
            client,
            key,
            expires_at: None,
            grace: None,
        }
    }

    /// The refreshed key's expiry: needed for a key that expires, and no
    /// later than its current expiry (a refresh can shorten a key's life,
    /// never lengthen it).
    pub fn expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// How long the old secret keeps working (at most 24 hours; never past
    /// its own expiry). Without it, the old secret stops at once.
    pub fn grace_period(mut self, grace: Duration) -> Self {
        self.grace = Some(grace);
        self
    }

    fn validate(&self) -> Result<()> {
        check_id("api_key", self.key.id())?;
        if let Some(grace) = self.grace
            && grace.as_secs() > REFRESH_GRACE_PERIOD_MAX_SECONDS as u64
        {
            return Err(Error::invalid(
                "grace_period",
                format!(
                    "must be at most {REFRESH_GRACE_PERIOD_MAX_SECONDS} seconds (24 hours); got \
                     {} s",
                    grace.as_secs()
                ),
            ));
        }
        if let Some(at) = self.expires_at
            && at <= Utc::now()
        {
            return Err(Error::invalid(
                "expires_at",
                format!("must be in the future (got {at})"),
            ));
        }
        if let KeyRef::Key(key) = &self.key
            && let Some(old) = key.expires_at
        {
            match self.expires_at {
                None => {
                    return Err(Error::invalid(
                        "expires_at",
                        format!(
                            "key {} expires at {old}: a refresh must give an expiry, no later \
                             than that",
                            key.id
                        ),
                    ));
                }
                Some(new) if new > old => {
                    return Err(Error::invalid(
                        "expires_at",
                        format!(
                            "a refresh cannot lengthen a key's life: key {} expires at {old}, \
                             and {new} is later (make a new key instead)",
                            key.id
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Sends the refresh. When its answer is lost, it is sent once more:
    /// the key was rotated and the secret that answer carried is lost, so
    /// rotating again voids it. **Grace-period caveat:** the repeat makes the
    /// lost secret the "old" one, which then works for the grace period;
    /// and the secret in use before the first refresh may stop at once
    /// (the document does not say whether the API keeps more than one old
    /// secret; the fake keeps one), so with a grace period, rotate the
    /// secret everywhere promptly after such a refresh.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for bad input or an expiry the document's
    /// rules refuse (nothing is sent); [`Error::RefreshLost`] when both
    /// answers were lost; API and transport errors (422 for an expiry the
    /// server refuses).
    pub async fn send(self) -> Result<IssuedKey> {
        self.validate()?;
        self.client.warn_prerelease(REFRESH, ops::REFRESH_API_KEY);
        let id = self.key.id().to_owned();
        let body = raw::RefreshApiKeyRequest {
            expires_at: self.expires_at,
            grace_period_seconds: self.grace.map(|g| g.as_secs() as i64),
        };
        let mut lost = false;
        loop {
            let call = self
                .client
                .raw()
                .refresh_api_key()
                .api_key_id(raw::Id(id.clone()))
                .body(body.clone())
                .send();
            let (result, report) = self.client.call_reporting(REFRESH, call).await;
            let e = match result.and_then(|answer| from_refreshed(answer, REFRESH)) {
                Ok((key, secret)) => {
                    return Ok(IssuedKey {
                        key,
                        secret,
                        revoked_after_lost_answer: Vec::new(),
                    });
                }
                Err(e) => e,
            };
            // Rotated, and the new secret did not arrive: an answer lost,
            // or a success (2xx) that could not be used — which would come
            // the same way again, so it is not repeated.
            let unreadable = crate::api_keys::create::answered(&e);
            let rotated = report.may_have_taken_effect || unreadable;
            if lost || unreadable {
                // Whatever the repeat's fate, the key was rotated by the
                // first attempt: say so, never a bare 422 or 404.
                return Err(Error::RefreshLost {
                    id,
                    source: Box::new(e),
                });
            }
            if !rotated {
                return Err(e);
            }
            note(
                REFRESH,
                &format!(
                    "the answer to refreshing API key {id} was lost, so the secret it carried \
                     never arrived: refreshing once more to void it"
                ),
            );
            lost = true;
        }
    }
}

awaitable!(RefreshApiKey => IssuedKey);
