//! Every operation of each spec (CDM, CSMS, BatchCompute, ROMA) called against Prism.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn cdm_operations_satisfy_prism() {
    let mut contract = Contract::start("huaweicloud-cdm.yaml");
    let client = cloudspec::cdm::Client::new(huawei_config(&contract.prism)).unwrap();
    let signed = cloudspec::cdm::Client::new(huawei_aksk_config(&contract.prism)).unwrap();
    let create = cloudspec::cdm::CreateClusterRequest::new(
        "en-us",
        example(json!({
            "cluster": {
                "scheduleBootTime": "", "isScheduleBootOff": false,
                "instances": [{"availability_zone": "cn-north-1b", "nics": [{"securityGroupId": "c37852d2-2d12-41cb-af47-65c80e995c80", "net-id": "2d120298-6130-44d4-a438-454912fff901"}], "flavorRef": "fb8fe666-6734-4b11-bc6c-43d11db3c745", "type": "cdm"}],
                "datastore": {"type": "cdm", "version": "1.8.10"},
                "scheduleOffTime": "", "vpcId": "67c06084-2212-4242-bcd4-d2144c2385a9", "name": "cdm-ab82",
                "sys_tags": [{"value": "1ce45885-4033-40d2-bdde-d4dbaceb387d", "key": "_sys_enterprise_project_id"}],
                "isAutoOff": false
            },
            "auto_remind": false, "phone_num": "", "email": ""
        })),
    );
    contract.check("CreateCluster", || client.create_cluster(&create)).await;
    let show = cloudspec::cdm::ShowClusterDetailRequest::new("bae65496-643e-47ca-84af-948672de7eeb");
    contract.check("ShowClusterDetail", || client.show_cluster_detail(&show)).await;
    // The CDM spec declares only X-Auth-Token so far; signed calls run once it allows AK/SK.
    if accepts_aksk(contract.spec) {
        contract.check("ShowClusterDetail", || signed.show_cluster_detail(&show)).await;
        contract.check("CreateCluster", || signed.create_cluster(&create)).await;
    }
    contract.finish();
}

#[tokio::test(flavor = "multi_thread")]
async fn csms_operations_satisfy_prism() {
    let mut contract = Contract::start("huaweicloud-csms.yaml");
    let client = cloudspec::csms::Client::new(huawei_config(&contract.prism)).unwrap();
    let signed = cloudspec::csms::Client::new(huawei_aksk_config(&contract.prism)).unwrap();
    let request = cloudspec::csms::CreateSecretEventRequest::new(example(json!({
        "name": "demo-event",
        "event_types": ["SECRET_VERSION_CREATED", "SECRET_VERSION_EXPIRED"],
        "state": "ENABLED",
        "notification": {"target_type": "SMN", "target_id": "urn:smn:cn-north-4:dc3b7c85759141a991da17423c0f2068:test-poc", "target_name": "demo-smn-name"}
    })));
    contract.check("CreateSecretEvent", || client.create_secret_event(&request)).await;
    assert!(accepts_aksk(contract.spec), "CSMS declares AK/SK signing");
    contract.check("CreateSecretEvent", || signed.create_secret_event(&request)).await;
    contract.finish();
}

#[tokio::test(flavor = "multi_thread")]
async fn batchcompute_operations_satisfy_prism() {
    let mut contract = Contract::start("aliyun-batchcompute.yaml");
    let config = cloudspec::Config::builder()
        .endpoint(&contract.prism.url)
        .region("cn-shenzhen")
        .credentials(cloudspec::Credentials::aliyun("LTAIcontract", "contract-secret"))
        .retry(cloudspec::RetryPolicy::disabled())
        .build()
        .unwrap();
    let client = cloudspec::batchcompute::Client::new(config).unwrap();
    let request = cloudspec::batchcompute::CreateClusterRequest::new(example(json!({
        "Name": "test-ubuntu",
        "Description": "demo",
        "ImageId": "m-2309yqb5n",
        "InstanceType": "bcs.a2.large",
        "UserData": {"key1": "value1"},
        "Groups": {"group1": {"DesiredVMCount": 3, "ResourceType": "OnDemand", "SpotStrategy": "SpotAsPriceGo", "SpotPriceLimit": 0.0}}
    })));
    contract.check("CreateCluster", || client.create_cluster(&request)).await;
    contract.finish();
}

#[tokio::test(flavor = "multi_thread")]
async fn roma_operations_satisfy_prism() {
    use cloudspec::roma::*;
    let mut contract = Contract::start("huaweicloud-roma.yaml");
    let client = Client::new(huawei_config(&contract.prism)).unwrap();
    let signed = Client::new(huawei_aksk_config(&contract.prism)).unwrap();
    let instance = "eddc4d25480b4cd6b512f270a1b8b341";

    let certs = BatchAssociateCertsV2Request::new(
        instance,
        "c77f5e81d9cb4424bf704ef2b0ac7600",
        "d7b5c8e3",
        example(json!({"certificate_ids": ["cert-1"], "verified_client_certificate_enabled": false})),
    );
    contract.check("BatchAssociateCertsV2", || client.batch_associate_certs_v2(&certs)).await;

    let task = UpdateTaskRequest::new(
        instance,
        "15366328208d4d77b76532fe9f4006a6",
        example(json!({
            "task": {"task_name": "fdi_task_v2mysql-tomysql", "task_type": "TIMING", "source_datasource_id": "30969b205e8f4392a25fb321112d1753", "target_datasource_id": "30969b205e8f4392a25fb321112d1753", "description": "mysql", "task_tag": "fdi_autotest"},
            "task_detail": "{\"needAPI\":false}"
        })),
    );
    contract.check("UpdateTask", || client.update_task(&task)).await;

    let property = ShowResponsePropertyRequest::new(instance, "service-1", 7, 3320);
    contract.check("ShowResponseProperty", || client.show_response_property(&property)).await;

    let api = UpdateApiV2Request::new(
        instance,
        "5f918d104dc84480a75166ba99efff21",
        example(json!({
            "group_id": "c77f5e81d9cb4424bf704ef2b0ac7600", "match_mode": "NORMAL", "name": "Api_http", "auth_type": "APP", "backend_type": "HTTP",
            "backend_api": {"vpc_channel_status": 1, "vpc_channel_info": {"vpc_channel_id": "56a7d7358e1b42459c9d730d65b14e59", "vpc_channel_proxy_host": "www.example.com"}, "req_protocol": "HTTPS", "req_method": "GET", "req_uri": "/test/benchmark", "timeout": 5000},
            "cors": false, "req_protocol": "HTTPS", "req_uri": "/test/http", "remark": "Web backend API", "type": 1, "req_method": "GET",
            "backend_params": [{"name": "X-CONSTANT-HEADER", "value": "demo", "location": "HEADER", "origin": "CONSTANT", "remark": "constant_demo"}],
            "tags": ["webApi"]
        })),
    );
    contract.check("UpdateApiV2", || client.update_api_v2(&api)).await;

    let variable = UpdateEnvironmentVariableV2Request::new(
        instance,
        "25054838a624400bbf2267cf5b3a3f70",
        example(json!({"variable_value": "192.168.1.5"})),
    );
    contract.check("UpdateEnvironmentVariableV2", || client.update_environment_variable_v2(&variable)).await;

    // Prism's generator never returns for GroupTreeResponse, whose `children` are
    // GroupTreeResponse again (json-schema-faker expands the $ref cycle without a depth bound;
    // the call times out). So random trees come from `GroupTrees` below, and Prism, as a
    // validating proxy in front of it, checks both the request and each response.
    let trees = GroupTrees::default();
    let upstream = wiremock::MockServer::start().await;
    let sent = Arc::clone(&trees.sent);
    wiremock::Mock::given(wiremock::matchers::any()).respond_with(trees).mount(&upstream).await;
    let validating = Prism::proxy("huaweicloud-roma.yaml", &upstream.uri());
    let proxied = Client::new(huawei_config(&validating)).unwrap();
    let groups = ShowDeviceGroupTreeRequest::new(instance, "app-1");
    contract
        .check_on(&validating, "ShowDeviceGroupTree", || async {
            let decoded = proxied.show_device_group_tree(&groups).await?;
            let last = sent.lock().unwrap().last().cloned();
            assert_eq!(
                Some(serde_json::to_value(&*decoded).unwrap()),
                last,
                "ShowDeviceGroupTree: the SDK decodes the tree that was sent"
            );
            Ok::<_, cloudspec::Error>(())
        })
        .await;

    let dispatch = UpdateDispatchesRequest::new(instance, "15366328208d4d77b76532fe9f4006a6", "a0f7fa9897da423dadbe8391d7ea7a43")
        .with_body(example(json!({"start_datetime": 1605339505609i64, "period": "DAY", "dispatch_interval": 1, "remark": "daily plan", "use_quartz_cron": false})));
    contract.check("UpdateDispatches", || client.update_dispatches(&dispatch)).await;

    let health = UpdateHealthCheckRequest::new(
        instance,
        "d38c55c926ca44c2bfb37886d93b9a0d",
        example(json!({
            "http_code": "200", "path": "/vpc/demo", "port": 22, "protocol": "HTTP", "threshold_abnormal": 5, "threshold_normal": 2, "time_interval": 10, "timeout": 5, "enable_client_ssl": false
        })),
    );
    contract.check("UpdateHealthCheck", || client.update_health_check(&health)).await;

    let certificate = DownloadSsLcertsRequest::new(instance);
    contract.check("DownloadSSLcerts", || client.download_ss_lcerts(&certificate)).await;

    let members = BatchEnableMembersRequest::new(
        instance,
        "d38c55c926ca44c2bfb37886d93b9a0d",
        example(json!({"member_ids": ["m-1", "m-2"]})),
    );
    contract.check("BatchEnableMembers", || client.batch_enable_members(&members)).await;

    let quota = DeleteAppQuotaRequest::new(instance, "c900c5612dbe451bb43cbcc49cfaf2f3");
    contract.check("DeleteAppQuota", || client.delete_app_quota(&quota)).await;

    let envs = ListEnvironmentsV2Request::new(instance).with_offset(0).with_limit(10).with_name("DEV env+1/中");
    contract.check("ListEnvironmentsV2", || client.list_environments_v2(&envs)).await;

    let domain = AssociateDomainV2Request::new(
        instance,
        "c77f5e81d9cb4424bf704ef2b0ac7600",
        example(json!({"url_domain": "www.company.com", "min_ssl_version": "TLSv1.1"})),
    );
    contract.check("AssociateDomainV2", || client.associate_domain_v2(&domain)).await;
    // The ROMA spec declares only X-Auth-Token so far; signed calls run once it allows AK/SK.
    if accepts_aksk(contract.spec) {
        contract.check("ListEnvironmentsV2", || signed.list_environments_v2(&envs)).await;
        contract.check("UpdateApiV2", || signed.update_api_v2(&api)).await;
    }
    contract.finish();
}

/// Random device-group trees valid against ROMA's `ShowDeviceGroupTreeResponseBody` (every
/// property optional; ids in 1..=99999999, names of up to 200 characters), at most four levels
/// deep; each one sent is kept to compare with what the SDK decoded.
#[derive(Default)]
struct GroupTrees {
    seed: std::sync::atomic::AtomicU64,
    sent: Arc<Mutex<Vec<Value>>>,
}

impl wiremock::Respond for GroupTrees {
    fn respond(&self, _request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let mut random =
            SplitMix(self.seed.fetch_add(1, std::sync::atomic::Ordering::Relaxed).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut body = serde_json::Map::new();
        if random.chance() {
            body.insert("size".into(), json!(random.between(1, 9999)));
        }
        if random.chance() {
            body.insert(
                "items".into(),
                Value::Array((0..random.between(0, 3)).map(|_| group_tree(&mut random, 0)).collect()),
            );
        }
        let body = Value::Object(body);
        self.sent.lock().unwrap().push(body.clone());
        wiremock::ResponseTemplate::new(200).set_body_json(body)
    }
}

fn group_tree(random: &mut SplitMix, depth: u32) -> Value {
    const NAME_CHARS: &[char] = &['a', 'Z', '0', '_', '-', ' ', '"', '\\', '中', 'é', '😀'];
    let mut node = serde_json::Map::new();
    if random.chance() {
        node.insert("id".into(), json!(random.between(1, 99_999_999)));
    }
    if random.chance() {
        let name: String = (0..random.between(0, 12))
            .map(|_| NAME_CHARS[random.between(0, NAME_CHARS.len() as u64 - 1) as usize])
            .collect();
        node.insert("name".into(), json!(name));
    }
    if random.chance() {
        node.insert("parent_id".into(), json!(random.between(1, 99_999_999)));
    }
    if random.chance() {
        let children = if depth < 3 { random.between(0, 3) } else { 0 };
        node.insert("children".into(), Value::Array((0..children).map(|_| group_tree(random, depth + 1)).collect()));
    }
    Value::Object(node)
}

/// SplitMix64: a small, deterministic generator (no dependency for a test's random trees).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    fn chance(&mut self) -> bool {
        !self.next().is_multiple_of(5)
    }
}
