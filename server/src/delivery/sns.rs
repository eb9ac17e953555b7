//! `sns:`: SMS through AWS SNS (a Publish to the phone number, as a transactional message) with
//! the AWS SDK for Rust and its usual environment: `AWS_REGION`, the credentials chain
//! (`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, a profile, a role), `AWS_ENDPOINT_URL` to
//! point it elsewhere (tests: moto on loopback). A number that opted out of SMS, or one SNS
//! calls invalid, refuses the destination; any other failure may pass.

use std::sync::OnceLock;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_sns::config::Credentials;
use aws_sdk_sns::error::ProvideErrorMetadata;
use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sns::Client;

use super::{DeliveryError, Gateway, Outgoing, REQUEST_TIMEOUT};

/// An SNS gateway. The SDK's client is made on the first delivery (loading its configuration is
/// asynchronous, and the server is configured before its runtime serves).
pub struct Sns {
    region: String,
    endpoint: Option<String>,
    credentials: Option<Credentials>,
    client: OnceLock<Client>,
}

impl Sns {
    /// The gateway the environment describes; `AWS_REGION` (or `AWS_DEFAULT_REGION`) must name
    /// the region SMS go from.
    pub fn new(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, String> {
        let region = env("AWS_REGION")
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .filter(|r| !r.trim().is_empty())
            .ok_or("SNS needs AWS_REGION in the environment (and the AWS credentials)")?;
        // The SDK reads these itself too; read here, the gateway is what `env` says (tests).
        let endpoint = env("AWS_ENDPOINT_URL_SNS").or_else(|| env("AWS_ENDPOINT_URL"));
        let credentials = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => Some(Credentials::new(
                id,
                secret,
                env("AWS_SESSION_TOKEN"),
                None,
                "environment",
            )),
            _ => None,
        };
        Ok(Self {
            region,
            endpoint,
            credentials,
            client: OnceLock::new(),
        })
    }

    fn client(&self, runtime: &tokio::runtime::Handle) -> &Client {
        self.client.get_or_init(|| {
            let mut loader = aws_config::defaults(BehaviorVersion::latest())
                .region(Region::new(self.region.clone()));
            if let Some(endpoint) = &self.endpoint {
                loader = loader.endpoint_url(endpoint);
            }
            if let Some(credentials) = &self.credentials {
                loader = loader.credentials_provider(credentials.clone());
            }
            let config = runtime.block_on(
                loader
                    .timeout_config(
                        TimeoutConfig::builder()
                            .operation_timeout(REQUEST_TIMEOUT)
                            .build(),
                    )
                    .retry_config(RetryConfig::standard().with_max_attempts(2))
                    .load(),
            );
            Client::new(&config)
        })
    }
}

impl Gateway for Sns {
    fn deliver(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        // On tokio's blocking pool, as every delivery: it may wait for the runtime's futures.
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| DeliveryError::Unavailable("no runtime to reach SNS from".into()))?;
        let client = self.client(&runtime);
        let failed = |what: &str, e: &dyn ProvideErrorMetadata| {
            let code = e.code().unwrap_or("no answer");
            match code {
                "InvalidParameter"
                | "InvalidParameterValue"
                | "InvalidParameterException"
                | "InvalidParameterValueException" => {
                    DeliveryError::Refused(format!("SNS refused the number ({code})"))
                }
                _ => DeliveryError::Unavailable(format!("SNS {what}: {code}")),
            }
        };
        let transactional = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()
            .map_err(|e| DeliveryError::Unavailable(e.to_string()))?;
        // Both calls under one deadline, well inside the send's.
        let exchange = async {
            let opted_out = client
                .check_if_phone_number_is_opted_out()
                .phone_number(&message.to)
                .send()
                .await
                .map_err(|e| failed("could not check the number", &e))?;
            if opted_out.is_opted_out() {
                return Err(DeliveryError::Refused("the number opted out of SMS".into()));
            }
            client
                .publish()
                .phone_number(&message.to)
                .message(&message.text)
                .message_attributes("AWS.SNS.SMS.SMSType", transactional)
                .send()
                .await
                .map(drop)
                .map_err(|e| failed("did not take the message", &e))
        };
        runtime
            .block_on(tokio::time::timeout(REQUEST_TIMEOUT, exchange))
            .unwrap_or_else(|_| Err(DeliveryError::Unavailable("SNS took too long".into())))
    }

    fn describe(&self) -> String {
        match &self.endpoint {
            Some(endpoint) => format!("sns in {} at {endpoint}", self.region),
            None => format!("sns in {}", self.region),
        }
    }
}
