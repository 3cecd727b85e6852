//! Month close: compute, plan and store one WMO323 declaration inside the caller's transaction.
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use poem_openapi::types::ToJSON;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::compute::compute;
use super::declaration::{
    LineStatus, Outgoing, declaration_number, line_reference as declaration_line_reference, plan,
};
use super::engine::Line;
use super::entity::{declaration, declaration_line};
use super::month::Month;
use super::storage::{load_month, lock_municipality};
use super::wmo323;
use crate::clients::entity::client;
use crate::contracts::entity::municipality;
use crate::http::page::find_or_404;
use crate::http::{ApiError, ApiResult};
use crate::organisation::entity::organisation;

/// Computes, plans and stores one declaration; returns its id. Runs inside the caller's transaction.
pub async fn close_month(
    txn: &(impl ConnectionTrait + sea_orm::StreamTrait),
    user_id: i32,
    municipality_id: i32,
    month: Month,
    today: NaiveDate,
) -> ApiResult<i64> {
    lock_municipality(txn, municipality_id).await?;
    let gemeente =
        find_or_404::<municipality::Entity>(txn, municipality_id, "municipality").await?;
    let agb_code = organisation::Entity::find()
        .one(txn)
        .await?
        .map(|o| o.agb_code)
        .ok_or(ApiError::NotFound("organisation"))?;
    let data = load_month(txn, municipality_id, month).await?;
    let lines = compute(month, &data);
    let sent_this_month = data.sent_in(month);
    let (outgoing, _) = plan(&lines, &sent_this_month);
    if outgoing.is_empty() {
        return Err(ApiError::Conflict(
            "nothing to declare: no new billable units and no corrections".into(),
        ));
    }
    let allocations: HashMap<i32, &super::engine::Allocation> =
        data.billable.iter().map(|a| (a.id, a)).collect();
    let names = client_names(txn, lines.iter().map(|l| l.client_id)).await?;

    // The number comes from the row id, so insert first and fill it in.
    let placeholder = format!("T{:011}", rand::random::<u32>());
    let row = declaration::ActiveModel {
        number: Set(placeholder),
        municipality_id: Set(municipality_id),
        month: Set(month.first()),
        declaration_date: Set(today),
        total_cents: Set(0),
        xml: Set(String::new()),
        csv: Set(String::new()),
        created_by: Set(user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let number = declaration_number(row.id);

    let mut message = wmo323::Declaration {
        agb_code,
        municipality_code: gemeente.code,
        number: number.clone(),
        period_start: month.first(),
        period_end: month.last(),
        date: today,
        lines: Vec::with_capacity(outgoing.len()),
    };
    let mut rows = Vec::with_capacity(outgoing.len());
    for (index, out) in outgoing.iter().enumerate() {
        let reference = declaration_line_reference(&number, index);
        let (message_line, stored) = match out {
            Outgoing::Debit(line) => {
                let a = allocations
                    .get(&line.allocation_id)
                    .ok_or_else(|| ApiError::Internal("line without allocation".into()))?;
                debit_line(line, a, &reference, &names)
            }
            Outgoing::Credit(original) => {
                let stored = declaration_line::Entity::find_by_id(original.id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| ApiError::Internal("credited line vanished".into()))?;
                let a = allocations
                    .get(&stored.allocation_id)
                    .ok_or_else(|| ApiError::Internal("line without allocation".into()))?;
                credit_line(&stored, a, &reference, &names)
            }
        };
        message.lines.push(message_line);
        let mut stored = stored;
        stored.declaration_id = Set(row.id);
        rows.push(stored);
    }
    let total = message.total_cents();
    let xml = String::from_utf8(wmo323::to_xml(&message))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if xml.len() > wmo323::MAX_FILE_BYTES {
        // About 25,000 lines; splitting one month over several declarations is not built yet.
        return Err(ApiError::Conflict(format!(
            "the declaration would be {} MB, over the iWmo limit of 25 MB",
            xml.len() / 1_000_000
        )));
    }
    let csv = String::from_utf8(wmo323::to_csv(&message))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut active: declaration::ActiveModel = row.into();
    active.number = Set(number);
    active.total_cents = Set(total);
    active.xml = Set(xml);
    active.csv = Set(csv);
    let row = active.update(txn).await?;
    for chunk in rows.chunks(1_000) {
        declaration_line::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(row.id)
}

fn bsn_of(names: &HashMap<i32, (String, String)>, client_id: i32) -> String {
    names
        .get(&client_id)
        .map(|(_, bsn)| bsn.clone())
        .unwrap_or_default()
}

fn debit_line(
    line: &Line,
    a: &super::engine::Allocation,
    reference: &str,
    names: &HashMap<i32, (String, String)>,
) -> (wmo323::DeclarationLine, declaration_line::ActiveModel) {
    let explanation = serde_json::json!({
        "days": line.days.to_json(),
        "held_back": line.held_back.to_json(),
        "warnings": line.warnings.to_json(),
    });
    let message = wmo323::DeclarationLine {
        bsn: bsn_of(names, line.client_id),
        reference: reference.to_owned(),
        previous_reference: None,
        allocation_number: a.allocation_number,
        product_category: a.category.code().to_owned(),
        product_code: a.product_code.clone(),
        period_start: line.period_start,
        period_end: line.period_end,
        volume: line.volume,
        unit_code: a.unit.code().to_owned(),
        tariff_cents: line.tariff_cents,
        amount_cents: line.amount_cents,
        debit: true,
    };
    let stored = stored_line(
        &message,
        a.id,
        line.client_id,
        None,
        explanation.to_string(),
    );
    (message, stored)
}

/// A credit repeats the original line with `C` and refers to it.
fn credit_line(
    original: &declaration_line::Model,
    a: &super::engine::Allocation,
    reference: &str,
    names: &HashMap<i32, (String, String)>,
) -> (wmo323::DeclarationLine, declaration_line::ActiveModel) {
    let message = wmo323::DeclarationLine {
        bsn: bsn_of(names, original.client_id),
        reference: reference.to_owned(),
        previous_reference: Some(original.reference.clone()),
        allocation_number: a.allocation_number,
        product_category: original.product_category.clone(),
        product_code: original.product_code.clone(),
        period_start: original.period_start,
        period_end: original.period_end,
        volume: original.volume,
        unit_code: original.unit_code.clone(),
        tariff_cents: original.tariff_cents,
        amount_cents: original.amount_cents,
        debit: false,
    };
    let explanation = serde_json::json!({"credits": original.reference}).to_string();
    let stored = stored_line(
        &message,
        original.allocation_id,
        original.client_id,
        Some(original.id),
        explanation,
    );
    (message, stored)
}

/// The row kept of a sent line: what the message says, plus what it belongs to.
fn stored_line(
    message: &wmo323::DeclarationLine,
    allocation_id: i32,
    client_id: i32,
    corrects: Option<i64>,
    explanation: String,
) -> declaration_line::ActiveModel {
    declaration_line::ActiveModel {
        reference: Set(message.reference.clone()),
        allocation_id: Set(allocation_id),
        client_id: Set(client_id),
        corrects_line_id: Set(corrects),
        debit: Set(message.debit),
        product_category: Set(message.product_category.clone()),
        product_code: Set(message.product_code.clone()),
        unit_code: Set(message.unit_code.clone()),
        period_start: Set(message.period_start),
        period_end: Set(message.period_end),
        volume: Set(message.volume),
        tariff_cents: Set(message.tariff_cents),
        amount_cents: Set(message.amount_cents),
        status: Set(LineStatus::Pending.as_str().to_owned()),
        rejection_code: Set(None),
        explanation: Set(explanation),
        ..Default::default()
    }
}

/// Names and BSNs of clients, by id.
pub async fn client_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> ApiResult<HashMap<i32, (String, String)>> {
    let ids: Vec<i32> = ids.collect::<HashSet<_>>().into_iter().collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(5_000) {
        for c in client::Entity::find()
            .filter(client::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(c.id, (format!("{} {}", c.first_name, c.last_name), c.bsn));
        }
    }
    Ok(out)
}
