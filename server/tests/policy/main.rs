//! The reference server's policy over HTTP, driven through the real router with a clock the
//! test moves. Every behaviour runs against both stores: this process's memory and Redis.

mod harness;
#[path = "../support/redis_server.rs"]
mod redis_server;

mod abuse;
mod contract;
mod delivery;
mod destinations;
mod hygiene;
mod lockout;
mod origins;
mod proofs;

/// Generates, for each listed behaviour `name(h: Harness<S>)`, one test per store.
#[macro_export]
macro_rules! on_every_store {
    ($($name:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::harness::Harness::memory()).await;
                }
            )*
        }
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::harness::Harness::redis().await).await;
                }
            )*
        }
    };
}
