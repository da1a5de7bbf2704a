//! The fake's REST API over real HTTP: versions, sObject CRUD, upsert, describe, collections,
//! flows, files, limits, SOSL, validation errors, the request log and counters.

mod fake_support;

use fake_support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use weft_tests::fake::fingerprint;

#[tokio::test]
async fn versions_and_resources() {
    let fake = start().await;
    let versions = send_json(http().get(format!("{}/services/data/", fake.instance_url()))).await;
    let list = versions.as_array().unwrap();
    assert_eq!(
        list[0],
        json!({"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"})
    );
    assert!(list.contains(
        &json!({"label": "Spring '26", "url": "/services/data/v66.0", "version": "66.0"})
    ));
    let access = token(&fake).await;
    let (status, body) = get(&fake, &access, &format!("{V}/")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["sobjects"], "/services/data/v66.0/sobjects");
    assert!(
        body["identity"]
            .as_str()
            .unwrap()
            .starts_with(fake.login_url())
    );
    let (status, _) = get(&fake, &access, "/services/data/v30.0/limits").await;
    assert_eq!(status, StatusCode::GONE);
    let (status, body) = get(&fake, &access, "/services/data/v99.0/limits").await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    // Neither the version list nor calls to unserved versions are counted.
    assert_eq!(fake.counters().api_calls, 1);
}

#[tokio::test]
async fn create_read_update_delete() {
    let fake = start().await;
    let access = token(&fake).await;
    let (status, headers, body) = call(
        &fake,
        &access,
        Method::POST,
        &format!("{V}/sobjects/contact"),
        Some(json!({"FirstName": "Ann", "LastName": "Lee", "Email": "ann@example.com", "Birthdate": "1990-04-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(
        headers["sforce-limit-info"]
            .to_str()
            .unwrap()
            .starts_with("api-usage=")
    );
    assert_eq!(body["success"], true);
    assert_eq!(body["errors"], json!([]));
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 18);
    assert!(id.starts_with("003"));

    let (status, record) = get(&fake, &access, &format!("{V}/sobjects/Contact/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        record["attributes"],
        json!({"type": "Contact", "url": format!("{V}/sobjects/Contact/{id}")})
    );
    assert_eq!(record["Name"], "Ann Lee");
    assert_eq!(record["Title"], Value::Null);
    assert_eq!(record["Birthdate"], "1990-04-01");
    let created = record["CreatedDate"].as_str().unwrap().to_string();
    assert!(
        created.ends_with(".000+0000") && created.len() == 28,
        "{created}"
    );
    assert_eq!(record["CreatedDate"], record["LastModifiedDate"]);
    assert_eq!(record["CreatedDate"], record["SystemModstamp"]);
    // 15-character ids work too; ?fields= picks a subset in the given order.
    let (_, subset) = get(
        &fake,
        &access,
        &format!("{V}/sobjects/Contact/{}?fields=email,Id", &id[..15]),
    )
    .await;
    let keys: Vec<&String> = subset.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3);
    assert_eq!(subset["Email"], "ann@example.com");
    let path = format!("{V}/sobjects/Contact/{id}?fields=Email,Id");
    let text = send(instance_request(&fake, &access, Method::GET, &path))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.find("\"attributes\"").unwrap() < text.find("\"Email\"").unwrap());
    assert!(text.find("\"Email\"").unwrap() < text.find("\"Id\"").unwrap());

    let (status, _, body) = call(
        &fake,
        &access,
        Method::PATCH,
        &format!("{V}/sobjects/Contact/{id}"),
        Some(json!({"Title": "CTO"})),
    )
    .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (_, record) = get(&fake, &access, &format!("{V}/sobjects/Contact/{id}")).await;
    assert_eq!(record["Title"], "CTO");
    let (status, _, _) = call(
        &fake,
        &access,
        Method::DELETE,
        &format!("{V}/sobjects/Contact/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = get(&fake, &access, &format!("{V}/sobjects/Contact/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!([{"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}])
    );
    let (status, body) = get(
        &fake,
        &access,
        &format!("{V}/sobjects/Contact/003Fk0000000zzzAAA"),
    )
    .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
}

#[tokio::test]
async fn record_validation_errors() {
    let fake = start().await;
    let access = token(&fake).await;
    let post = |body: Value| {
        let (fake, access) = (&fake, &access);
        async move {
            call(
                fake,
                access,
                Method::POST,
                &format!("{V}/sobjects/Lead"),
                Some(body),
            )
            .await
        }
    };
    let (status, _, body) = post(json!({"LastName": "X"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body[0]["errorCode"], "REQUIRED_FIELD_MISSING");
    assert_eq!(body[0]["fields"], json!(["Company"]));
    let (_, _, body) = post(json!({"LastName": "X", "Company": "Y", "Bogus__c": 1})).await;
    assert_eq!(code(&body), "INVALID_FIELD");
    let (_, _, body) = post(json!({"LastName": "X", "Company": "Y", "IsConverted": true})).await;
    assert_eq!(code(&body), "INVALID_FIELD_FOR_INSERT_UPDATE");
    let (_, _, body) = post(json!({"LastName": "X", "Company": "Y", "Email": "nope"})).await;
    assert_eq!(code(&body), "INVALID_EMAIL_ADDRESS");
    let (_, _, body) =
        post(json!({"LastName": "X", "Company": "Y", "NumberOfEmployees": [1]})).await;
    assert_eq!(code(&body), "JSON_PARSER_ERROR");
    let (_, _, body) = post(json!({"LastName": "X", "Company": "Y", "OwnerId": "bad"})).await;
    assert_eq!(code(&body), "MALFORMED_ID");
    let (_, _, body) =
        post(json!({"LastName": "X", "Company": "Y", "OwnerId": "005Fk0000000zzzAAA"})).await;
    assert_eq!(code(&body), "INVALID_CROSS_REFERENCE_KEY");
    let (status, _, body) =
        post(json!({"LastName": "X", "Company": "Y", "External_Id__c": "L-1"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, _, body) =
        post(json!({"LastName": "X", "Company": "Y", "External_Id__c": "L-1"})).await;
    assert_eq!(code(&body), "DUPLICATE_VALUE");
    let bad_json = send(
        instance_request(&fake, &access, Method::POST, &format!("{V}/sobjects/Lead"))
            .header("content-type", "application/json")
            .body("{nope"),
    )
    .await;
    assert_eq!(bad_json.status(), StatusCode::BAD_REQUEST);
    let (status, body) = get(
        &fake,
        &access,
        &format!("{V}/sobjects/NoSuchThing/describe"),
    )
    .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
}

#[tokio::test]
async fn upsert_by_external_id() {
    let fake = start().await;
    let access = token(&fake).await;
    let path = format!("{V}/sobjects/Account/External_Id__c/EXT-1");
    let (status, _, body) = call(
        &fake,
        &access,
        Method::PATCH,
        &path,
        Some(json!({"Name": "Acme"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["created"], true);
    let id = body["id"].as_str().unwrap().to_string();
    let (status, _, body) = call(
        &fake,
        &access,
        Method::PATCH,
        &path,
        Some(json!({"Name": "Acme 2"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"id": id, "success": true, "errors": [], "created": false})
    );
    let (status, _, body) = call(
        &fake,
        &access,
        Method::PATCH,
        &path.replace("v66.0", "v45.0"),
        Some(json!({"Name": "Old"})),
    )
    .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, record) = get(&fake, &access, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(record["Name"], "Old");
    let (status, _, body) = call(
        &fake,
        &access,
        Method::PATCH,
        &format!("{V}/sobjects/Account/Name/x"),
        Some(json!({})),
    )
    .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    let (status, record) = get(
        &fake,
        &access,
        &format!("{V}/sobjects/Account/External_Id__c/none"),
    )
    .await;
    assert_eq!(
        (status, code(&record)),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    );
}

#[tokio::test]
async fn ambiguous_upsert_answers_300_with_urls() {
    let config = weft_tests::fake::FakeConfig {
        custom_fields: vec!["Dup__c.Code__c;string;ext".into()],
        ..Default::default()
    };
    let fake = start_with(config).await;
    let access = token(&fake).await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (status, _, body) = call(
            &fake,
            &access,
            Method::POST,
            &format!("{V}/sobjects/Dup__c"),
            Some(json!({"Code__c": "A"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(format!(
            "{V}/sobjects/Dup__c/{}",
            body["id"].as_str().unwrap()
        ));
    }
    let path = format!("{V}/sobjects/dup__c/code__c/A");
    let (status, _, body) = call(
        &fake,
        &access,
        Method::PATCH,
        &path,
        Some(json!({"Name": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::MULTIPLE_CHOICES);
    assert_eq!(body, json!(ids));
    let (status, body) = get(&fake, &access, &path).await;
    assert_eq!((status, body), (StatusCode::MULTIPLE_CHOICES, json!(ids)));
}

#[tokio::test]
async fn describe_global_summary_and_fls() {
    let fake = start().await;
    let access = token(&fake).await;
    let (status, body) = get(&fake, &access, &format!("{V}/sobjects")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["maxBatchSize"], 200);
    let names: Vec<&str> = body["sobjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    for expected in [
        "Account",
        "Contact",
        "Lead",
        "Opportunity",
        "Case",
        "Task",
        "User",
        "CampaignMember",
        "ContentVersion",
    ] {
        assert!(names.contains(&expected), "{expected}");
    }
    let (_, describe) = get(
        &fake,
        &access,
        &format!("{V}/sobjects/casecomment/describe"),
    )
    .await;
    assert_eq!(describe["name"], "CaseComment");
    let (_, describe) = get(&fake, &access, &format!("{V}/sobjects/Account/describe")).await;
    assert_eq!(describe["keyPrefix"], "001");
    assert_eq!(describe["urls"]["sobject"], format!("{V}/sobjects/Account"));
    let field = |name: &str| {
        describe["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(field("External_Id__c")["externalId"], true);
    assert_eq!(field("External_Id__c")["idLookup"], true);
    assert_eq!(field("Id")["type"], "id");
    assert_eq!(field("SystemModstamp")["filterable"], true);
    assert_eq!(field("SystemModstamp")["type"], "datetime");
    assert_eq!(field("OwnerId")["referenceTo"], json!(["User"]));
    assert_eq!(field("OwnerId")["relationshipName"], "Owner");
    assert_eq!(field("Name")["nillable"], false);
    assert!(
        field("Industry")["picklistValues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["value"] == "Banking")
    );
    assert!(
        describe["childRelationships"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["childSObject"] == "Contact")
    );

    let (status, summary) = get(&fake, &access, &format!("{V}/sobjects/Account")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(summary["objectDescribe"]["name"], "Account");
    let recent = summary["recentItems"].as_array().unwrap();
    assert!(!recent.is_empty());
    assert_eq!(recent[0]["attributes"]["type"], "Account");
    assert!(recent[0]["Name"].is_string());

    fake.set_field_hidden("Account.Industry", true).unwrap();
    let (_, describe) = get(&fake, &access, &format!("{V}/sobjects/Account/describe")).await;
    assert!(
        !describe["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "Industry")
    );
    let (status, body) = get(&fake, &access, &query_path("SELECT Industry FROM Account")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INVALID_FIELD")
    );
}

#[tokio::test]
async fn sobject_collections() {
    let fake = start().await;
    let access = token(&fake).await;
    let url = format!("{V}/composite/sobjects");
    let records = json!([
        {"attributes": {"type": "Account"}, "Name": "A1"},
        {"attributes": {"type": "Contact"}, "LastName": "C1"},
    ]);
    let (status, _, body) = call(
        &fake,
        &access,
        Method::POST,
        &url,
        Some(json!({"allOrNone": false, "records": records})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .all(|r| r["success"] == true)
    );
    let ids: Vec<String> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();

    let mixed = json!([{"attributes": {"type": "Account"}, "Name": "ok"}, {"attributes": {"type": "Account"}}]);
    let (_, _, body) = call(
        &fake,
        &access,
        Method::POST,
        &url,
        Some(json!({"allOrNone": true, "records": mixed})),
    )
    .await;
    assert_eq!(body[0]["success"], false);
    assert_eq!(
        body[0]["errors"][0]["statusCode"],
        "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    );
    assert_eq!(body[1]["errors"][0]["statusCode"], "REQUIRED_FIELD_MISSING");
    assert_eq!(body[1]["errors"][0]["fields"], json!(["Name"]));
    let (_, count) = get(
        &fake,
        &access,
        &query_path("SELECT COUNT() FROM Account WHERE Name = 'ok'"),
    )
    .await;
    assert_eq!(count["totalSize"], 0);
    let (_, _, body) = call(
        &fake,
        &access,
        Method::POST,
        &url,
        Some(json!({"allOrNone": false, "records": mixed})),
    )
    .await;
    assert_eq!(
        (body[0]["success"].clone(), body[1]["success"].clone()),
        (json!(true), json!(false))
    );

    let update =
        json!({"records": [{"attributes": {"type": "Account"}, "Id": ids[0], "Name": "A1b"}]});
    let (_, _, body) = call(&fake, &access, Method::PATCH, &url, Some(update)).await;
    assert_eq!(body[0]["success"], true, "{body}");
    let (status, body) = get(
        &fake,
        &access,
        &format!("{url}/Account?ids={}&fields=Id,Name", ids[0]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[0]["Name"], "A1b");
    let (_, _, body) = call(
        &fake,
        &access,
        Method::DELETE,
        &format!("{url}?ids={},{}&allOrNone=false", ids[0], ids[1]),
        None,
    )
    .await;
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .all(|r| r["success"] == true),
        "{body}"
    );
    let too_many: Vec<Value> = (0..201)
        .map(|i| json!({"attributes": {"type": "Account"}, "Name": i.to_string()}))
        .collect();
    let (status, _, body) = call(
        &fake,
        &access,
        Method::POST,
        &url,
        Some(json!({"records": too_many})),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "EXCEEDED_ID_LIMIT")
    );
}

#[tokio::test]
async fn flows_list_and_invoke() {
    let fake = start().await;
    let access = token(&fake).await;
    let (status, body) = get(&fake, &access, &format!("{V}/actions/custom/flow")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["actions"][0],
        json!({"label": "Large Order", "name": "LargeOrder", "type": "FLOW", "url": format!("{V}/actions/custom/flow/LargeOrder")})
    );
    let url = format!("{V}/actions/custom/flow/LargeOrder");
    let (status, _, body) = call(
        &fake,
        &access,
        Method::POST,
        &url,
        Some(json!({"inputs": [{"OrderAmount": 5}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[0]["isSuccess"], true);
    assert_eq!(body[0]["outputValues"]["Flow__InterviewStatus"], "Finished");
    let (status, _, body) = call(
        &fake,
        &access,
        Method::POST,
        &url,
        Some(json!({"inputs": [{}]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body[0]["isSuccess"], false);
    assert_eq!(body[0]["errors"][0]["statusCode"], "REQUIRED_FIELD_MISSING");
    let (status, _, body) = call(
        &fake,
        &access,
        Method::POST,
        &format!("{V}/actions/custom/flow/Nope"),
        Some(json!({"inputs": []})),
    )
    .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));
}

#[tokio::test]
async fn content_version_multipart_upload() {
    let fake = start().await;
    let access = token(&fake).await;
    let form = reqwest::multipart::Form::new()
        .part(
            "entity_content",
            reqwest::multipart::Part::text(
                r#"{"Title":"Hello","PathOnClient":"hello.txt","ContentLocation":"S"}"#,
            )
            .mime_str("application/json")
            .unwrap(),
        )
        .part(
            "VersionData",
            reqwest::multipart::Part::bytes(b"hello world".to_vec()).file_name("hello.txt"),
        );
    let path = format!("{V}/sobjects/ContentVersion");
    let response =
        send(instance_request(&fake, &access, Method::POST, &path).multipart(form)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap();
    assert!(id.starts_with("068"));
    let (_, record) = get(&fake, &access, &format!("{V}/sobjects/ContentVersion/{id}")).await;
    assert_eq!(record["ContentSize"], 11);
    assert_eq!(record["FileExtension"], "txt");
    assert!(
        record["ContentDocumentId"]
            .as_str()
            .unwrap()
            .starts_with("069")
    );
    assert_eq!(
        record["VersionData"],
        format!("{V}/sobjects/ContentVersion/{id}/VersionData")
    );
    let path = format!("{V}/sobjects/ContentVersion/{id}/VersionData");
    let blob = send(instance_request(&fake, &access, Method::GET, &path)).await;
    assert_eq!(blob.bytes().await.unwrap().as_ref(), b"hello world");
}

#[tokio::test]
async fn limits_share_the_api_counter() {
    let fake = start().await;
    let access = token(&fake).await;
    let (_, headers, _) = call(&fake, &access, Method::GET, &format!("{V}/sobjects"), None).await;
    assert_eq!(headers["sforce-limit-info"], "api-usage=1/15000");
    let (_, body) = get(&fake, &access, &format!("{V}/limits")).await;
    assert_eq!(
        body["DailyApiRequests"],
        json!({"Max": 15000, "Remaining": 14998})
    );
}

#[tokio::test]
async fn sosl_search() {
    let fake = start().await;
    let access = token(&fake).await;
    let (_, _, created) = call(
        &fake,
        &access,
        Method::POST,
        &format!("{V}/sobjects/Account"),
        Some(json!({"Name": "Zebracorp"})),
    )
    .await;
    let q = urlencoding::encode("FIND {zebra*} IN ALL FIELDS RETURNING Account(Id, Name)");
    let (status, body) = get(&fake, &access, &format!("{V}/search?q={q}")).await;
    assert_eq!(status, StatusCode::OK);
    let hits = body["searchRecords"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["Id"], created["id"]);
    assert_eq!(hits[0]["Name"], "Zebracorp");
    let (_, body) = get(
        &fake,
        &access,
        &format!("{V}/parameterizedSearch?q=zebracorp&sobject=Account&Account.fields=Name"),
    )
    .await;
    assert_eq!(body["searchRecords"][0]["Name"], "Zebracorp");
    let (status, body) = get(&fake, &access, &format!("{V}/search?q=zebra")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "MALFORMED_SEARCH")
    );
}

#[tokio::test]
async fn the_log_fingerprints_tokens_and_counts() {
    let fake = start().await;
    let access = token(&fake).await;
    get(&fake, &access, &query_path("SELECT Id FROM Account")).await;
    let log = fake.log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].path, "/services/oauth2/token");
    assert!(log[0].body.contains("grant_type=client_credentials"));
    let entry = &log[1];
    assert_eq!((entry.method.as_str(), entry.status), ("GET", 200));
    assert_eq!(entry.path, format!("{V}/query"));
    assert!(entry.query.as_deref().unwrap().starts_with("q=SELECT"));
    assert_eq!(
        entry.header("authorization"),
        Some(format!("Bearer {}", fingerprint(&access)).as_str())
    );
    assert!(!format!("{entry:?}").contains(&access));
    let counters = fake.counters();
    assert_eq!(counters.api_calls, 1);
    assert_eq!(counters.token_requests.get("client_credentials"), Some(&1));
    let over_http = send_json(admin_request(&fake, Method::GET, "/log")).await;
    assert_eq!(over_http.as_array().unwrap().len(), 2);
    assert_eq!(over_http[1]["host"], "instance");
    send(admin_request(&fake, Method::DELETE, "/log")).await;
    assert!(fake.log().is_empty());
    assert_eq!(fake.counters().api_calls, 0);
}
