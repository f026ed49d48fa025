//! What the recipe examples share: where they run (the real sandbox or the
//! in-process fake), "today" on that server, the reference's sample data,
//! and small helpers to print steps and check what a step returned.
//!
//! Included by each recipe with `#[path = "common/mod.rs"] mod common;`.

// Each recipe uses only part of this module.
#![allow(dead_code)]

use std::{fmt::Display, future::Future, time::Duration as StdDuration};

use mfkessai::{
    chrono::{Duration, FixedOffset, NaiveDate, Utc},
    dec,
    money::ComputedAmounts,
    prelude::*,
    sandbox::Outcome,
    testing::FakeKessai,
    types,
};

/// Any error a recipe can end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where a recipe runs.
pub struct Session {
    /// The client every step goes through.
    pub client: Client,
    /// The in-process fake, kept alive for the whole run; `None` on the real
    /// sandbox.
    fake: Option<FakeKessai>,
    /// Part of every seller-chosen number (customer and transaction
    /// numbers are unique per seller), so that runs against the real
    /// sandbox do not collide with earlier ones.
    run: String,
}

/// The real sandbox when `MFKESSAI_API_KEY` is set, otherwise a fresh
/// in-process [`FakeKessai`].
pub async fn connect() -> Result<Session, BoxError> {
    match std::env::var("MFKESSAI_API_KEY") {
        Ok(key) if !key.trim().is_empty() => {
            // Never Production: the recipes rely on the sandbox's magic
            // strings, which the client refuses to send there anyway.
            let client = Client::builder()
                .api_key(key.trim().to_string())
                .environment(Environment::Sandbox)
                .build()?;
            let session = Session {
                client,
                fake: None,
                run: Utc::now().format("%Y%m%d%H%M%S").to_string(),
            };
            println!(
                "Using the Money Forward Kessai sandbox (today is {} in Japan).",
                session.today()
            );
            Ok(session)
        }
        _ => {
            let fake = FakeKessai::start().await?;
            let client = fake.client()?;
            println!(
                "MFKESSAI_API_KEY is not set: using the in-process fake Kessai at {} \
                 (its clock says today is {}).",
                fake.base_url(),
                fake.now().date_naive()
            );
            Ok(Session {
                client,
                fake: Some(fake),
                run: "0001".to_string(),
            })
        }
    }
}

impl Session {
    /// The fake, to drive what only a test can (alerts, payments, the
    /// examiner's decision); `None` on the real sandbox.
    pub fn fake(&self) -> Option<&FakeKessai> {
        self.fake.as_ref()
    }

    /// Whether the recipe talks to the in-process fake.
    pub fn is_fake(&self) -> bool {
        self.fake.is_some()
    }

    /// Today on the server: the fake's clock, or the date in Japan, where
    /// Kessai's dates (start and end of facilities, issue dates) live.
    pub fn today(&self) -> NaiveDate {
        match &self.fake {
            Some(fake) => fake.now().date_naive(),
            None => {
                let jst = FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset");
                Utc::now().with_timezone(&jst).date_naive()
            }
        }
    }

    /// A seller-chosen number (顧客番号, 取引番号) for this run:
    /// `RECIPE-<kind>-<run>`.
    pub fn number(&self, kind: &str) -> String {
        format!("RECIPE-{kind}-{}", self.run)
    }

    /// Lets `by` pass on the fake (facilities start and end, billings are
    /// issued, payments fall due) and returns `true`. The real sandbox's
    /// clock cannot be moved: it prints why the step is skipped and returns
    /// `false`.
    pub fn let_time_pass(&self, by: Duration, why: &str) -> bool {
        match &self.fake {
            Some(fake) => {
                fake.advance_clock(by);
                println!(
                    "   (fake clock: {} days later, {why}; today is now {})",
                    by.num_days(),
                    self.today()
                );
                true
            }
            None => {
                println!(
                    "   (on the real sandbox time cannot be moved, so this is left out: {why})"
                );
                false
            }
        }
    }

    /// Runs `fetch` until `done` accepts its result. On the fake everything
    /// is decided at once, so it runs once; the real sandbox may take a
    /// moment even with a magic string, so it is asked again for up to about
    /// 30 seconds.
    pub async fn wait_for<T, F, Fut>(
        &self,
        mut fetch: F,
        done: impl Fn(&T) -> bool,
    ) -> Result<T, BoxError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = mfkessai::Result<T>>,
    {
        let attempts = if self.is_fake() { 1 } else { 10 };
        let mut last = fetch().await?;
        for _ in 1..attempts {
            if done(&last) {
                break;
            }
            tokio::time::sleep(StdDuration::from_secs(3)).await;
            last = fetch().await?;
        }
        Ok(last)
    }
}

/// Fails the recipe with `what` unless `condition` holds: each recipe
/// doubles as an end-to-end check.
pub fn ensure(condition: bool, what: impl Display) -> Result<(), BoxError> {
    if condition {
        Ok(())
    } else {
        Err(format!("unexpected result: {what}").into())
    }
}

/// The value a step must have found (the first item of a list, a filled-in
/// link), or the recipe fails with `what`, like [`ensure`].
pub fn found<T>(value: Option<T>, what: impl Display) -> Result<T, BoxError> {
    value.ok_or_else(|| format!("unexpected result: {what}").into())
}

/// An optional field for printing: its value, or `-`.
pub fn show<T: Display>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_string(), ToString::to_string)
}

/// The reference's sample destination (請求先).
pub fn sample_destination() -> types::CustomerPayloadDestination {
    types::CustomerPayloadDestination::new(
        "billing@example.com",
        "03-1234-5678",
        "111-1111",
        "東京都千代田区1-2-3",
    )
    .address2("サンプルビル3F")
    .cc_emails(["cc1@example.com", "cc2@example.com"])
    .department("経理部")
    .name("担当 太郎")
    .name_kana("タントウ タロウ")
    .title("部長")
}

/// The reference's sample customer (顧客) with its first destination and
/// no `customer_examination`: registering it asks for no credit line.
pub fn sample_customer(number: String) -> types::CustomerPayload {
    types::CustomerPayload::new("サンプル顧客", number, sample_destination())
}

/// The reference's sample credit examination (与信枠審査) for a customer,
/// asking for `amount` yen until `end_date`.
pub fn sample_examination(
    customer_id: &CustomerId,
    amount: i64,
    end_date: NaiveDate,
) -> types::CustomerExaminationPayload {
    types::CustomerExaminationPayload::new(
        customer_id,
        amount,
        end_date,
        "billing@example.com",
        "03-1234-5678",
        "111-1111",
        "東京都千代田区1-2-3",
    )
    .address2("サンプルビル3F")
    .business_description("クラウド型企業間決済サービス")
    .business_type(BusinessType::Corporate)
    .corporate_number("1234567890123")
    .representative_name("代表太郎")
    .website("https://mfkessai.co.jp")
}

/// The reference's three sample lines: 商品名A 3 × 1,000 yen (10%),
/// 商品名B 3 × 1,000 yen (reduced 8%) and a return of one 商品名A,
/// all tax excluded: 2,200 + 3,240 = 5,440 yen tax included.
///
/// With an `outcome`, every description is its sandbox magic string
/// instead, which decides the examination (取引審査) of a transaction that
/// no credit facility covers.
pub fn sample_lines(outcome: Option<Outcome>) -> mfkessai::Result<ComputedAmounts> {
    let name = |text: &str| outcome.map_or_else(|| text.to_string(), |o| o.as_str().to_string());
    TransactionLines::new()
        .line(Line::excluded(
            name("商品名A"),
            dec!(1000),
            dec!(3),
            TaxRateType::Normal10,
        ))
        .line(Line::excluded(
            name("商品名B"),
            dec!(1000),
            dec!(3),
            TaxRateType::Reduced8,
        ))
        // A return is a negative unit price, not a negative quantity.
        .line(Line::excluded(
            name("商品名A 返品"),
            dec!(-1000),
            dec!(1),
            TaxRateType::Normal10,
        ))
        .compute()
}

/// A transaction (取引) of `lines` to a destination, dated today, its
/// invoice issued today and due `due_date`, sent by post and e-mail.
pub fn transaction(
    destination_id: &DestinationId,
    number: String,
    today: NaiveDate,
    due_date: NaiveDate,
    lines: ComputedAmounts,
) -> types::TransactionPayload {
    types::TransactionPayload::with_lines(
        number,
        destination_id,
        today,
        today,
        due_date,
        [InvoiceDeliveryMethod::Posting, InvoiceDeliveryMethod::Email],
        lines,
    )
}

/// One line about a credit facility (与信枠).
pub fn describe_facility(f: &types::CreditFacility) -> String {
    format!(
        "credit facility {}: {} of {} yen left, {} .. {}, {}",
        f.id,
        show(&f.balance),
        show(&f.amount),
        show(&f.start_date),
        show(&f.end_date),
        show(&f.status)
    )
}

/// One line about a credit examination (与信枠審査).
pub fn describe_examination(e: &types::CustomerExamination) -> String {
    format!(
        "examination {} ({}): {} yen, {} .. {}, {}",
        e.id,
        show(&e.type_),
        e.amount,
        show(&e.start_date),
        e.end_date,
        show(&e.status)
    )
}

/// One line about a transaction (取引).
pub fn describe_transaction(t: &types::Transaction) -> String {
    format!(
        "transaction {} ({}): {} yen, status {}, billing {}",
        t.id,
        t.number,
        show(&t.amount),
        show(&t.status),
        show(&t.billing_id)
    )
}
