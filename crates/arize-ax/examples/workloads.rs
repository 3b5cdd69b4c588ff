//! The workloads of `scripts/compare-python-sdk.sh`, timed with this crate:
//! get by ID, get by name, list all. Prints one JSON object of medians (ms).
//!
//! ```sh
//! cargo run --release -p arize-ax --example workloads -- http://127.0.0.1:8080 KEY 50
//! ```

use std::time::Instant;

use arize_ax::{Client, OrgRef};
use futures::TryStreamExt;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(base_url), Some(key)) = (args.next(), args.next()) else {
        return Err("usage: workloads BASE_URL API_KEY [ITERATIONS]".into());
    };
    let iterations: usize = args.next().map_or(Ok(30), |n| n.parse())?;
    let client = Client::builder()
        .api_key(key)
        .base_url(base_url)
        .prerelease_warning(false)
        .build()?;
    let orgs = client.organizations();
    let all: Vec<_> = orgs.list().limit(100).stream().try_collect().await?;
    let target = &all[all.len() / 2];

    let mut by_id = Vec::new();
    let mut by_name = Vec::new();
    let mut list_all = Vec::new();
    for _ in 0..iterations {
        let t = Instant::now();
        orgs.get(OrgRef::Id(target.id.clone())).await?;
        by_id.push(t.elapsed().as_secs_f64() * 1e3);

        let t = Instant::now();
        orgs.get(target.name.as_str()).await?;
        by_name.push(t.elapsed().as_secs_f64() * 1e3);
    }
    for _ in 0..iterations.div_ceil(10) {
        let t = Instant::now();
        let n = orgs
            .list()
            .limit(100)
            .stream()
            .try_fold(0usize, |n, _| async move { Ok(n + 1) })
            .await?;
        assert_eq!(n, all.len());
        list_all.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{{\"get_by_id_ms\": {:.3}, \"get_by_name_ms\": {:.3}, \"list_all_ms\": {:.3}, \"organizations\": {}}}",
        median(by_id),
        median(by_name),
        median(list_all),
        all.len()
    );
    Ok(())
}
