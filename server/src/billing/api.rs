//! Finance API: preview a month, close it into a WMO323 declaration, download, record the answer.
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Attachment, Json};
use poem_openapi::{Object, OpenApi, Tags};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::close::{client_names, close_month};
use super::compute::compute;
use super::declaration::{Disposition, LineStatus, plan};
use super::engine::{DayLine, HeldBack, Line, Warning};
use super::entity::{declaration, declaration_line};
use super::month::Month;
use super::storage::load_month;
use crate::auth::{Auth, Permission};
use crate::contracts::domain::{ProductCategory, Unit};
use crate::contracts::entity::municipality;
use crate::http::page::{fetch_page, find_or_404};
use crate::http::{ApiError, ApiResult, Page, PageParams};
use crate::startup::AppState;

#[derive(Tags)]
enum ApiTags {
    /// Billable dagdelen and iWmo WMO323 declarations
    Billing,
}

#[derive(Debug, Object)]
pub struct PreviewLine {
    pub allocation_id: i32,
    pub client_id: i32,
    pub client_name: String,
    pub allocation_number: i64,
    pub product_category: ProductCategory,
    pub product_code: String,
    pub unit: Unit,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub volume: i64,
    pub tariff_cents: Option<i64>,
    pub amount_cents: i64,
    /// What closing the month now does with this line.
    pub disposition: Disposition,
    /// Per day: the rule applied and the units it gave.
    pub days: Vec<DayLine>,
    /// Units not declared, and why (caps, validity, missing tariff).
    pub held_back: Vec<HeldBack>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Object)]
pub struct Preview {
    pub municipality_id: i32,
    /// YYYY-MM
    pub month: String,
    pub lines: Vec<PreviewLine>,
    /// Sum of the lines' amounts as computed now.
    pub total_cents: i64,
    /// Units held back over all lines.
    pub held_back_quantity: i64,
    /// Whether closing now would send anything.
    pub has_changes: bool,
}

#[derive(Debug, Object)]
pub struct CloseInput {
    pub municipality_id: i32,
    /// The calendar month, YYYY-MM; it must be over.
    pub month: String,
}

#[derive(Debug, Object)]
pub struct DeclarationLineView {
    pub id: i64,
    pub reference: String,
    /// For a credit line: the reference of the line it takes back.
    pub previous_reference: Option<String>,
    pub allocation_id: i32,
    pub client_id: i32,
    pub debit: bool,
    pub product_category: String,
    pub product_code: String,
    pub unit_code: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub volume: i64,
    pub tariff_cents: Option<i64>,
    pub amount_cents: i64,
    pub status: LineStatus,
    pub rejection_code: Option<String>,
}

#[derive(Debug, Object)]
pub struct DeclarationView {
    pub id: i64,
    pub number: String,
    pub municipality_id: i32,
    pub month: String,
    pub declaration_date: NaiveDate,
    /// Debits minus credits.
    pub total_cents: i64,
    pub line_count: u64,
    /// Lines without an answer yet.
    pub pending: u64,
    pub rejected: u64,
    /// Present when one declaration is asked for.
    pub lines: Option<Vec<DeclarationLineView>>,
}

#[derive(Debug, Object)]
pub struct RejectedLine {
    #[oai(validator(max_length = 20))]
    pub reference: String,
    /// The retourcode from the WMO325 answer.
    #[oai(validator(min_length = 1, max_length = 4))]
    pub code: String,
}

#[derive(Debug, Object)]
pub struct AnswerInput {
    /// Lines the municipality rejected; every other line of the declaration is accepted.
    #[oai(validator(max_items = 100000))]
    pub rejected: Vec<RejectedLine>,
}

pub struct BillingApi;

#[OpenApi(tag = "ApiTags::Billing")]
impl BillingApi {
    /// What closing a month would declare for a municipality, with explanations and warnings.
    #[oai(path = "/billing/preview", method = "get")]
    async fn preview(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        municipality_id: Query<i32>,
        month: Query<String>,
    ) -> ApiResult<Json<Preview>> {
        auth.require(Permission::BillingRead)?;
        let month = parse_month(&month.0)?;
        find_or_404::<municipality::Entity>(&state.db, municipality_id.0, "municipality").await?;
        let data = load_month(&state.db, municipality_id.0, month).await?;
        let lines = compute(month, &data);
        let sent_this_month = data.sent_in(month);
        let (outgoing, dispositions) = plan(&lines, &sent_this_month);
        let names = client_names(&state.db, lines.iter().map(|l| l.client_id)).await?;
        let allocations: HashMap<i32, &super::engine::Allocation> =
            data.billable.iter().map(|a| (a.id, a)).collect();
        let mut views = Vec::with_capacity(lines.len());
        for (line, (_, disposition)) in lines.iter().zip(dispositions) {
            let allocation = allocations
                .get(&line.allocation_id)
                .ok_or_else(|| ApiError::Internal("line without allocation".into()))?;
            views.push(preview_line(line, allocation, disposition, &names));
        }
        Ok(Json(Preview {
            municipality_id: municipality_id.0,
            month: month.to_string(),
            total_cents: lines.iter().map(|l| l.amount_cents).sum(),
            held_back_quantity: lines
                .iter()
                .flat_map(|l| &l.held_back)
                .map(|h| h.quantity)
                .sum(),
            has_changes: !outgoing.is_empty(),
            lines: views,
        }))
    }

    /// Closes a month for a municipality: stores and returns a WMO323 declaration of every new
    /// line and every correction (credit + new debit) of earlier accepted lines.
    #[oai(path = "/billing/declarations", method = "post")]
    async fn close(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<CloseInput>,
    ) -> ApiResult<Json<DeclarationView>> {
        let me = auth.require(Permission::BillingWrite)?;
        let month = parse_month(&body.month)?;
        let today = sync::amsterdam_date(Utc::now());
        if month.last() >= today {
            return Err(ApiError::invalid("month", "the month is not over yet"));
        }
        let txn = state.db.begin().await?;
        let id = close_month(&txn, me.user_id, body.municipality_id, month, today).await?;
        txn.commit().await?;
        tracing::info!(declaration = id, user = me.user_id, "month closed");
        Ok(Json(declaration_view(&state.db, id, true).await?))
    }

    /// Declarations, newest first; filter by municipality and month.
    #[oai(path = "/billing/declarations", method = "get")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        municipality_id: Query<Option<i32>>,
        month: Query<Option<String>>,
        limit: Query<Option<u64>>,
        offset: Query<Option<u64>>,
    ) -> ApiResult<Json<Page<DeclarationView>>> {
        auth.require(Permission::BillingRead)?;
        let mut select = declaration::Entity::find().order_by_desc(declaration::Column::Id);
        if let Some(id) = municipality_id.0 {
            select = select.filter(declaration::Column::MunicipalityId.eq(id));
        }
        if let Some(month) = month.0.as_deref() {
            select = select.filter(declaration::Column::Month.eq(parse_month(month)?.first()));
        }
        let params = PageParams::new(limit.0, offset.0);
        let (rows, total) = fetch_page(select, &state.db, params).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(declaration_view(&state.db, row.id, false).await?);
        }
        Ok(Json(Page::new(items, total, params)))
    }

    /// One declaration with its lines.
    #[oai(path = "/billing/declarations/:id", method = "get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<Json<DeclarationView>> {
        auth.require(Permission::BillingRead)?;
        Ok(Json(declaration_view(&state.db, id.0, true).await?))
    }

    /// The WMO323 message (UTF-8 without BOM, CRLF), as sent to the municipality.
    #[oai(path = "/billing/declarations/:id/wmo323", method = "get")]
    async fn wmo323(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<Attachment<Vec<u8>>> {
        auth.require(Permission::BillingRead)?;
        let d = find_declaration(&state.db, id.0).await?;
        Ok(Attachment::new(d.xml.into_bytes()).filename(format!("WMO323-{}.xml", d.number)))
    }

    /// The same lines as CSV (semicolon-separated) for finance.
    #[oai(path = "/billing/declarations/:id/csv", method = "get")]
    async fn csv(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
    ) -> ApiResult<Attachment<Vec<u8>>> {
        auth.require(Permission::BillingRead)?;
        let d = find_declaration(&state.db, id.0).await?;
        Ok(Attachment::new(d.csv.into_bytes()).filename(format!("declaratie-{}.csv", d.number)))
    }

    /// Records the municipality's answer (WMO325): the rejected lines with their code; all other
    /// lines are accepted. Rejected units can be declared again; accepted ones can be corrected.
    #[oai(path = "/billing/declarations/:id/answer", method = "post")]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        id: Path<i64>,
        body: Json<AnswerInput>,
    ) -> ApiResult<Json<DeclarationView>> {
        auth.require(Permission::BillingWrite)?;
        let txn = state.db.begin().await?;
        let d = find_declaration(&txn, id.0).await?;
        let lines = declaration_line::Entity::find()
            .filter(declaration_line::Column::DeclarationId.eq(d.id))
            .all(&txn)
            .await?;
        if lines
            .iter()
            .any(|l| l.status != LineStatus::Pending.as_str())
        {
            return Err(ApiError::Conflict(
                "this declaration was already answered".into(),
            ));
        }
        let references: HashSet<&str> = lines.iter().map(|l| l.reference.as_str()).collect();
        let mut violations = crate::validation::Violations::new();
        let mut rejected: HashMap<&str, &str> = HashMap::new();
        for (i, r) in body.rejected.iter().enumerate() {
            violations.check(
                references.contains(r.reference.as_str()),
                &format!("rejected[{i}].reference"),
                "is not a line of this declaration",
            );
            violations.check(
                r.code.chars().all(|c| c.is_ascii_alphanumeric()),
                &format!("rejected[{i}].code"),
                "must be letters and digits",
            );
            rejected.insert(&r.reference, &r.code);
        }
        violations.into_result()?;
        for line in lines {
            let code = rejected
                .get(line.reference.as_str())
                .map(|c| (*c).to_owned());
            let mut active: declaration_line::ActiveModel = line.into();
            active.status = Set(if code.is_some() {
                LineStatus::Rejected
            } else {
                LineStatus::Accepted
            }
            .as_str()
            .to_owned());
            active.rejection_code = Set(code);
            active.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(Json(declaration_view(&state.db, id.0, true).await?))
    }
}

fn parse_month(s: &str) -> ApiResult<Month> {
    Month::parse(s).ok_or_else(|| ApiError::invalid("month", "must be a month as YYYY-MM"))
}

async fn find_declaration(db: &impl ConnectionTrait, id: i64) -> ApiResult<declaration::Model> {
    declaration::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("declaration"))
}

fn preview_line(
    line: &Line,
    allocation: &super::engine::Allocation,
    disposition: Disposition,
    names: &HashMap<i32, (String, String)>,
) -> PreviewLine {
    PreviewLine {
        allocation_id: line.allocation_id,
        client_id: line.client_id,
        client_name: names
            .get(&line.client_id)
            .map(|(name, _)| name.clone())
            .unwrap_or_default(),
        allocation_number: allocation.allocation_number,
        product_category: allocation.category,
        product_code: allocation.product_code.clone(),
        unit: allocation.unit,
        period_start: line.period_start,
        period_end: line.period_end,
        volume: line.volume,
        tariff_cents: line.tariff_cents,
        amount_cents: line.amount_cents,
        disposition,
        days: line.days.clone(),
        held_back: line.held_back.clone(),
        warnings: line.warnings.clone(),
    }
}

async fn declaration_view(
    db: &impl ConnectionTrait,
    id: i64,
    with_lines: bool,
) -> ApiResult<DeclarationView> {
    let d = find_declaration(db, id).await?;
    let lines = declaration_line::Entity::find()
        .filter(declaration_line::Column::DeclarationId.eq(d.id))
        .order_by_asc(declaration_line::Column::Id)
        .all(db)
        .await?;
    let count =
        |status: LineStatus| lines.iter().filter(|l| l.status == status.as_str()).count() as u64;
    let references: HashMap<i64, String> = if with_lines {
        let originals: Vec<i64> = lines.iter().filter_map(|l| l.corrects_line_id).collect();
        declaration_line::Entity::find()
            .filter(declaration_line::Column::Id.is_in(originals))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l.reference))
            .collect()
    } else {
        HashMap::new()
    };
    let (pending, rejected, line_count) = (
        count(LineStatus::Pending),
        count(LineStatus::Rejected),
        lines.len() as u64,
    );
    let line_views = with_lines.then(|| {
        lines
            .into_iter()
            .map(|l| DeclarationLineView {
                previous_reference: l
                    .corrects_line_id
                    .and_then(|id| references.get(&id).cloned()),
                status: LineStatus::parse(&l.status).unwrap_or(LineStatus::Pending),
                id: l.id,
                reference: l.reference,
                allocation_id: l.allocation_id,
                client_id: l.client_id,
                debit: l.debit,
                product_category: l.product_category,
                product_code: l.product_code,
                unit_code: l.unit_code,
                period_start: l.period_start,
                period_end: l.period_end,
                volume: l.volume,
                tariff_cents: l.tariff_cents,
                amount_cents: l.amount_cents,
                rejection_code: l.rejection_code,
            })
            .collect()
    });
    Ok(DeclarationView {
        id: d.id,
        number: d.number,
        municipality_id: d.municipality_id,
        month: Month::containing(d.month).to_string(),
        declaration_date: d.declaration_date,
        total_cents: d.total_cents,
        line_count,
        pending,
        rejected,
        lines: line_views,
    })
}
