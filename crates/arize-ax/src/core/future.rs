//! One way for a request builder to be awaited: `builder.await` is
//! `builder.send().await`.

use std::future::Future;
use std::pin::Pin;

use crate::core::error::Result;

/// The future of an awaited builder.
pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'static>>;

/// Makes `$builder` awaitable: its `IntoFuture` runs its
/// `async fn send(self) -> Result<$output>`.
macro_rules! awaitable {
    ($builder:ty => $output:ty) => {
        impl ::std::future::IntoFuture for $builder {
            type Output = $crate::Result<$output>;
            type IntoFuture = $crate::core::future::BoxFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
pub(crate) use awaitable;
