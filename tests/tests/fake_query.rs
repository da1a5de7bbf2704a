//! The fake's SOQL over real HTTP: paging with locators, the SOQL subset, its errors, late
//! visibility, and (ignored by default) the page-serving throughput.

mod fake_support;

use fake_support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use weft_tests::fake::{FakeConfig, RecordChange};

async fn query(fake: &weft_tests::FakeSalesforce, token: &str, soql: &str) -> (StatusCode, Value) {
    get(fake, token, &query_path(soql)).await
}

#[tokio::test]
async fn pages_follow_next_records_url_until_done() {
    let fake = start().await;
    fake.seed("Account", 2505).unwrap();
    let access = token(&fake).await;
    let (status, first) = query(&fake, &access, "SELECT Id, Name FROM Account").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (first["totalSize"].clone(), first["done"].clone()),
        (json!(2505), json!(false))
    );
    assert_eq!(first["records"].as_array().unwrap().len(), 2000);
    let next = first["nextRecordsUrl"].as_str().unwrap().to_string();
    assert!(
        next.starts_with("/services/data/v66.0/query/01g") && next.ends_with("-2000"),
        "{next}"
    );
    // `q` re-sent on a locator request is ignored.
    let (status, second) = get(&fake, &access, &format!("{next}?q=SELECT+Id+FROM+Lead")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(second["done"], true);
    assert!(second.get("nextRecordsUrl").is_none());
    assert_eq!(second["records"].as_array().unwrap().len(), 505);
    assert_eq!(second["records"][0]["attributes"]["type"], "Account");

    // batchSize between 200 and 2000 is honoured.
    let body = send_json(
        instance_request(
            &fake,
            &access,
            Method::GET,
            &query_path("SELECT Id FROM Account"),
        )
        .header("Sforce-Query-Options", "batchSize=500"),
    )
    .await;
    assert_eq!(body["records"].as_array().unwrap().len(), 500);
    assert!(body["nextRecordsUrl"].as_str().unwrap().ends_with("-500"));

    for bad in [
        "01gFk0000000zzzAAA-2000",
        "garbage",
        &format!("{}-9999", &next[27..45]),
    ] {
        let (status, body) = get(&fake, &access, &format!("{V}/query/{bad}")).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, "INVALID_QUERY_LOCATOR"),
            "{bad}"
        );
    }
    // Locators expire after two days.
    fake.advance_clock(Duration::from_secs(2 * 86_400 + 1));
    let access = token(&fake).await;
    let (status, body) = get(&fake, &access, &next).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INVALID_QUERY_LOCATOR")
    );
}

#[tokio::test]
async fn a_small_page_size_knob() {
    let fake = start_with(FakeConfig {
        page_size: 2,
        ..FakeConfig::default()
    })
    .await;
    let access = token(&fake).await;
    let (_, first) = query(&fake, &access, "SELECT Id FROM Account").await;
    assert_eq!(first["totalSize"], 5);
    let mut seen = first["records"].as_array().unwrap().len();
    let mut next = first["nextRecordsUrl"].as_str().map(str::to_string);
    while let Some(url) = next {
        let (_, page) = get(&fake, &access, &url).await;
        seen += page["records"].as_array().unwrap().len();
        next = page["nextRecordsUrl"].as_str().map(str::to_string);
    }
    assert_eq!(seen, 5);
}

#[tokio::test]
async fn soql_subset() {
    let fake = start().await;
    let access = token(&fake).await;
    let count = |soql: &'static str| {
        let (fake, access) = (&fake, &access);
        async move {
            let (status, body) = query(fake, access, soql).await;
            assert_eq!(status, StatusCode::OK, "{soql}: {body}");
            body["totalSize"].as_u64().unwrap()
        }
    };
    assert_eq!(count("select id from account").await, 5);
    assert_eq!(
        count("SELECT COUNT() FROM Account WHERE Name LIKE 'account 00000%'").await,
        5
    );
    assert_eq!(
        count("SELECT Id FROM Account WHERE Name IN ('Account 000001', 'Account 000002')").await,
        2
    );
    assert_eq!(
        count("SELECT Id FROM Account WHERE Name NOT IN ('Account 000001') AND Name != null").await,
        4
    );
    assert_eq!(count("SELECT Id FROM Account WHERE (Name = 'Account 000001' OR Name = 'ACCOUNT 000003') AND NOT Name = 'x'").await, 2);
    assert_eq!(
        count("SELECT Id FROM Account WHERE CreatedDate >= 2024-01-01T00:02:00Z").await,
        3
    );
    assert_eq!(
        count("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T01:02:00.000+01:00").await,
        2
    );
    assert_eq!(
        count("SELECT Id FROM Account WHERE CreatedDate < LAST_N_DAYS:30").await,
        5
    );
    assert_eq!(
        count("SELECT Id FROM Account WHERE CreatedDate = TODAY").await,
        0
    );
    assert_eq!(
        count("SELECT Id FROM Opportunity WHERE CloseDate > 2000-01-01").await,
        3
    );
    assert_eq!(
        count("SELECT Id FROM Account WHERE Fax != null LIMIT 100").await,
        5
    );
    assert_eq!(count("SELECT Id FROM Account LIMIT 2 OFFSET 4").await, 1);
    assert_eq!(count("SELECT Id FROM User WHERE IsActive = true").await, 4);
    assert_eq!(
        count("SELECT Id FROM Contact WHERE Account.Name = 'Account 000001'").await,
        2
    );

    let (_, body) = query(
        &fake,
        &access,
        "SELECT Name, Id FROM Account ORDER BY Name DESC NULLS LAST LIMIT 2",
    )
    .await;
    let names: Vec<&str> = body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Account 000005", "Account 000004"]);
    let keys: Vec<&String> = body["records"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3);

    let (_, body) = query(
        &fake,
        &access,
        "SELECT Id, account.name, Account.Owner.Name, owner.name FROM Contact LIMIT 1",
    )
    .await;
    let record = &body["records"][0];
    assert_eq!(record["Account"]["attributes"]["type"], "Account");
    assert!(record["Account"]["Name"].is_string());
    assert_eq!(record["Account"]["Owner"]["Name"], "Ida Integration");
    assert_eq!(record["Owner"]["Name"], "Ida Integration");
    let (_, body) = query(
        &fake,
        &access,
        "SELECT Id, Parent.Name FROM Account LIMIT 1",
    )
    .await;
    assert_eq!(body["records"][0]["Parent"], Value::Null);
    let (_, body) = query(&fake, &access, "SELECT COUNT(Id) total FROM Account").await;
    assert_eq!(
        body["records"][0],
        json!({"attributes": {"type": "AggregateResult"}, "total": 5})
    );
}

#[tokio::test]
async fn soql_errors_have_salesforce_layout() {
    let fake = start().await;
    let access = token(&fake).await;
    let (status, body) = query(&fake, &access, "SELECT Id, Nme FROM Account").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&body), "INVALID_FIELD");
    let message = body[0]["message"].as_str().unwrap();
    assert!(message.starts_with("\nSELECT Id, Nme FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nme' on entity 'Account'."), "{message}");
    let cases = [
        ("SELECT  FROM Invoice__c ", "MALFORMED_QUERY"),
        ("SELECT Id FROM Nope", "INVALID_TYPE"),
        ("", "MALFORMED_QUERY"),
        ("SELECT Id FROM Account WHERE", "MALFORMED_QUERY"),
        (
            "SELECT Id FROM Account WHERE NumberOfEmployees = '5'",
            "INVALID_FIELD",
        ),
        ("SELECT Id FROM Account WHERE Name = 5", "INVALID_FIELD"),
        (
            "SELECT Id FROM Account WHERE CreatedDate > 2024-01-01",
            "INVALID_FIELD",
        ),
        (
            "SELECT Id FROM User WHERE IsActive = 'true'",
            "INVALID_FIELD",
        ),
        (
            "SELECT Id FROM Account WHERE OwnerId = 'nope'",
            "INVALID_QUERY_FILTER_OPERATOR",
        ),
        (
            "SELECT Id FROM Account WHERE Description = 'x'",
            "INVALID_FIELD",
        ),
        ("SELECT Id, Id FROM Account", "MALFORMED_QUERY"),
        ("SELECT Nobody.Name FROM Account", "INVALID_FIELD"),
        ("SELECT FIELDS(ALL) FROM Account", "MALFORMED_QUERY"),
    ];
    for (soql, expected) in cases {
        let (status, body) = query(&fake, &access, soql).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, expected),
            "{soql}: {body}"
        );
        assert!(
            body[0]["message"]
                .as_str()
                .unwrap()
                .contains("ERROR at Row:1:Column:"),
            "{soql}"
        );
    }
    let (status, body) = query(&fake, &access, "SELECT FIELDS(ALL) FROM Account LIMIT 200").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["records"][0].get("BillingCity").is_some());
    let (status, _) = query(
        &fake,
        &access,
        "SELECT Id, Amount__c FROM Invoice__c WHERE Amount__c > 10",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn query_all_sees_deleted_records_and_late_records_appear() {
    let fake = start().await;
    let access = token(&fake).await;
    let (_, _, created) = call(
        &fake,
        &access,
        Method::POST,
        &format!("{V}/sobjects/Lead"),
        Some(json!({"LastName": "Late", "Company": "L"})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_string();
    let soql = format!("SELECT Id, IsDeleted FROM Lead WHERE Id = '{id}'");
    call(
        &fake,
        &access,
        Method::DELETE,
        &format!("{V}/sobjects/Lead/{id}"),
        None,
    )
    .await;
    assert_eq!(query(&fake, &access, &soql).await.1["totalSize"], 0);
    let (_, all) = get(
        &fake,
        &access,
        &format!("{V}/queryAll?q={}", urlencoding::encode(&soql)),
    )
    .await;
    assert_eq!(all["totalSize"], 1);
    assert_eq!(all["records"][0]["IsDeleted"], true);

    let (_, _, created) = call(
        &fake,
        &access,
        Method::POST,
        &format!("{V}/sobjects/Lead"),
        Some(json!({"LastName": "Later", "Company": "L"})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_string();
    let stamp = "2020-05-01T10:00:00.000+0000";
    let change = RecordChange {
        system_modstamp: weft_tests::fake::clock::parse_datetime(stamp),
        visible_at: Some(fake.now_ms() + 60_000),
        ..RecordChange::default()
    };
    fake.change_record(&id, &change).unwrap();
    let soql = format!("SELECT Id, SystemModstamp FROM Lead WHERE Id = '{id}'");
    assert_eq!(query(&fake, &access, &soql).await.1["totalSize"], 0);
    fake.advance_clock(Duration::from_secs(61));
    let access = token(&fake).await;
    let (_, body) = query(&fake, &access, &soql).await;
    assert_eq!(body["records"][0]["SystemModstamp"], stamp);
    // The same control over HTTP: bump SystemModstamp only.
    let response = send(
        admin_request(&fake, Method::POST, &format!("/records/{id}"))
            .json(&json!({"bump_system_modstamp": true})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (_, body) = query(
        &fake,
        &access,
        &format!("SELECT SystemModstamp, LastModifiedDate FROM Lead WHERE Id = '{id}'"),
    )
    .await;
    assert_ne!(body["records"][0]["SystemModstamp"], stamp);
    assert!(
        body["records"][0]["SystemModstamp"].as_str()
            > body["records"][0]["LastModifiedDate"].as_str()
    );
}

/// Run with `cargo test -p weft-tests --release --test fake_query -- --ignored --nocapture`.
#[tokio::test(flavor = "current_thread")]
#[ignore = "measurement, prints records per second"]
async fn page_throughput() {
    let fake = start_with(FakeConfig {
        default_seed: false,
        ..FakeConfig::default()
    })
    .await;
    fake.seed("Account", 200_000).unwrap();
    let access = token(&fake).await;
    let client = http();
    let started = Instant::now();
    let mut url = format!(
        "{}{}",
        fake.instance_url(),
        query_path(
            "SELECT Id, Name, Industry, AnnualRevenue, BillingCity, OwnerId, CreatedDate, SystemModstamp FROM Account"
        )
    );
    let mut records = 0;
    loop {
        // Only the server's work is measured: the client scans bytes instead of parsing JSON.
        let page = client
            .get(&url)
            .bearer_auth(&access)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let text = std::str::from_utf8(&page).unwrap();
        records += text.matches("\"attributes\"").count();
        match text.split_once("\"nextRecordsUrl\":\"") {
            Some((_, rest)) => {
                url = format!(
                    "{}{}",
                    fake.instance_url(),
                    &rest[..rest.find('"').unwrap()]
                )
            }
            None => break,
        }
    }
    let rate = records as f64 / started.elapsed().as_secs_f64();
    println!("served {records} records in 2,000-record pages: {rate:.0} records/s");
    assert_eq!(records, 200_000);
}
