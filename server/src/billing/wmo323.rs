//! The iWmo 3.2 WMO323 declaration message and the finance CSV (pure).
//!
//! Files are UTF-8 without BOM with CRLF line ends (DESIGN.md section 4).
use std::collections::BTreeMap;

use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

const NS_BASE: &str = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema";
const NS_WMO323: &str = "http://www.istandaarden.nl/iwmo/3_2/wmo323/schema";
/// BerichtCode of WMO323.
const MESSAGE_CODE: &str = "484";
const XSD_VERSION: &str = "1.0.0";
/// iWmo files may be at most 25 MB.
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// Provider AGB code (Afzender).
    pub agb_code: String,
    /// Municipality code (Ontvanger).
    pub municipality_code: String,
    /// DeclaratieNummer, also used as the message identification.
    pub number: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub date: NaiveDate,
    pub lines: Vec<DeclarationLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationLine {
    pub bsn: String,
    pub reference: String,
    /// For a credit: the reference of the line it takes back.
    pub previous_reference: Option<String>,
    pub allocation_number: i64,
    pub product_category: String,
    pub product_code: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub volume: i64,
    pub unit_code: String,
    pub tariff_cents: Option<i64>,
    pub amount_cents: i64,
    pub debit: bool,
}

impl Declaration {
    /// Debits minus credits (TR358); negative when the credits are larger.
    pub fn total_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| {
                if l.debit {
                    l.amount_cents
                } else {
                    -l.amount_cents
                }
            })
            .sum()
    }
}

fn dc(debit: bool) -> &'static str {
    if debit { "D" } else { "C" }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

type XmlResult = std::io::Result<()>;

struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    fn leaf(&mut self, name: &str, value: &str) -> XmlResult {
        self.writer
            .create_element(name)
            .write_text_content(BytesText::new(value))?;
        Ok(())
    }

    fn node(&mut self, name: &str, body: impl FnOnce(&mut Xml) -> XmlResult) -> XmlResult {
        self.writer
            .write_event(Event::Start(quick_xml::events::BytesStart::new(name)))?;
        body(self)?;
        self.writer
            .write_event(Event::End(quick_xml::events::BytesEnd::new(name)))
    }

    fn period(&mut self, name: &str, from: NaiveDate, to: NaiveDate) -> XmlResult {
        self.node(name, |x| {
            x.leaf("iwmo:Begindatum", &date(from))?;
            x.leaf("iwmo:Einddatum", &date(to))
        })
    }
}

/// The WMO323 message as bytes.
pub fn to_xml(declaration: &Declaration) -> Vec<u8> {
    let mut xml = Xml {
        writer: Writer::new_with_indent(Vec::new(), b'\t', 1),
    };
    // Writing to a Vec cannot fail; the io::Result comes from the Write trait.
    let _ = write_message(&mut xml, declaration);
    let bytes = xml.writer.into_inner();
    to_crlf(&bytes)
}

fn write_message(xml: &mut Xml, d: &Declaration) -> XmlResult {
    xml.writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root = quick_xml::events::BytesStart::new("wmo323:Bericht")
        .with_attributes([("xmlns:iwmo", NS_BASE), ("xmlns:wmo323", NS_WMO323)]);
    xml.writer.write_event(Event::Start(root))?;
    xml.node("wmo323:Header", |x| {
        x.leaf("wmo323:BerichtCode", MESSAGE_CODE)?;
        x.leaf("wmo323:BerichtVersie", "3")?;
        x.leaf("wmo323:BerichtSubversie", "2")?;
        x.leaf("wmo323:Afzender", &d.agb_code)?;
        x.leaf("wmo323:Ontvanger", &d.municipality_code)?;
        x.node("wmo323:BerichtIdentificatie", |x| {
            x.leaf("iwmo:Identificatie", &d.number)?;
            x.leaf("iwmo:Dagtekening", &date(d.date))
        })?;
        x.node("wmo323:XsdVersie", |x| {
            x.leaf("iwmo:BasisschemaXsdVersie", XSD_VERSION)?;
            x.leaf("iwmo:BerichtXsdVersie", XSD_VERSION)
        })
    })?;
    xml.node("wmo323:Declaratie", |x| {
        x.leaf("wmo323:DeclaratieNummer", &d.number)?;
        x.period("wmo323:DeclaratiePeriode", d.period_start, d.period_end)?;
        x.leaf("wmo323:DeclaratieDagtekening", &date(d.date))?;
        let total = d.total_cents();
        x.node("wmo323:TotaalIngediendBedrag", |x| {
            x.leaf("iwmo:TotaalBedrag", &total.abs().to_string())?;
            x.leaf("iwmo:DebetCredit", dc(total >= 0))
        })?;
        x.node("wmo323:Clienten", |x| {
            for (bsn, lines) in per_client(&d.lines) {
                x.node("wmo323:Client", |x| {
                    x.leaf("wmo323:Bsn", bsn)?;
                    x.node("wmo323:Prestaties", |x| {
                        for line in lines {
                            write_line(x, line)?;
                        }
                        Ok(())
                    })
                })?;
            }
            Ok(())
        })
    })?;
    xml.writer
        .write_event(Event::End(quick_xml::events::BytesEnd::new(
            "wmo323:Bericht",
        )))
}

fn per_client(lines: &[DeclarationLine]) -> BTreeMap<&str, Vec<&DeclarationLine>> {
    let mut clients: BTreeMap<&str, Vec<&DeclarationLine>> = BTreeMap::new();
    for line in lines {
        clients.entry(line.bsn.as_str()).or_default().push(line);
    }
    clients
}

fn write_line(x: &mut Xml, l: &DeclarationLine) -> XmlResult {
    x.node("wmo323:Prestatie", |x| {
        x.node("wmo323:ProductReferentie", |x| {
            x.leaf("iwmo:ReferentieNummer", &l.reference)?;
            if let Some(previous) = &l.previous_reference {
                x.leaf("iwmo:VorigReferentieNummer", previous)?;
            }
            Ok(())
        })?;
        x.leaf("wmo323:ToewijzingNummer", &l.allocation_number.to_string())?;
        x.leaf("wmo323:ProductCategorie", &l.product_category)?;
        x.leaf("wmo323:ProductCode", &l.product_code)?;
        x.period("wmo323:ProductPeriode", l.period_start, l.period_end)?;
        x.leaf("wmo323:GeleverdVolume", &l.volume.to_string())?;
        x.leaf("wmo323:Eenheid", &l.unit_code)?;
        if let Some(tariff) = l.tariff_cents {
            x.leaf("wmo323:ProductTarief", &tariff.to_string())?;
        }
        x.node("wmo323:IngediendBedrag", |x| {
            x.leaf("iwmo:Bedrag", &l.amount_cents.to_string())?;
            x.leaf("iwmo:DebetCredit", dc(l.debit))
        })
    })
}

fn to_crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 20);
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out.extend_from_slice(b"\r\n");
    out
}

const CSV_HEADER: [&str; 14] = [
    "declaratienummer",
    "referentie",
    "vorige_referentie",
    "bsn",
    "toewijzingnummer",
    "productcategorie",
    "productcode",
    "begindatum",
    "einddatum",
    "volume",
    "eenheid",
    "tarief_cent",
    "bedrag_cent",
    "debet_credit",
];

/// The same lines as a semicolon-separated file for finance (opens in Dutch spreadsheet settings).
pub fn to_csv(d: &Declaration) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&CSV_HEADER.join(";"));
    out.push_str("\r\n");
    for l in &d.lines {
        let fields = [
            d.number.clone(),
            l.reference.clone(),
            l.previous_reference.clone().unwrap_or_default(),
            l.bsn.clone(),
            l.allocation_number.to_string(),
            l.product_category.clone(),
            l.product_code.clone(),
            date(l.period_start),
            date(l.period_end),
            l.volume.to_string(),
            l.unit_code.clone(),
            l.tariff_cents.map(|t| t.to_string()).unwrap_or_default(),
            l.amount_cents.to_string(),
            dc(l.debit).to_owned(),
        ];
        let escaped: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&escaped.join(";"));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Quotes a field that holds a separator, quote or line break; neutralises spreadsheet formulas.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> Declaration {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let line = |bsn: &str, reference: &str, debit: bool, amount: i64| DeclarationLine {
            bsn: bsn.into(),
            reference: reference.into(),
            previous_reference: (!debit).then(|| "DS0000000001L00001".to_owned()),
            allocation_number: 20072,
            product_category: "07".into(),
            product_code: "07A08".into(),
            period_start: d(11, 1),
            period_end: d(11, 30),
            volume: amount / 5000,
            unit_code: "16".into(),
            tariff_cents: Some(5000),
            amount_cents: amount,
            debit,
        };
        Declaration {
            agb_code: "12345678".into(),
            municipality_code: "0363".into(),
            number: "DS0000000002".into(),
            period_start: d(11, 1),
            period_end: d(11, 30),
            date: d(12, 2),
            lines: vec![
                line("999900006", "DS0000000002L00001", false, 20_000),
                line("999900006", "DS0000000002L00002", true, 25_000),
                line("999900018", "DS0000000002L00003", true, 10_000),
            ],
        }
    }

    #[test]
    fn xml_is_crlf_utf8_without_bom_and_totals_debits_minus_credits() {
        let xml = to_xml(&sample());
        assert!(xml.starts_with(b"<?xml"), "no BOM");
        let text = String::from_utf8(xml).unwrap();
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        assert!(text.contains("<iwmo:TotaalBedrag>15000</iwmo:TotaalBedrag>"));
        assert!(text.contains(
            "<iwmo:VorigReferentieNummer>DS0000000001L00001</iwmo:VorigReferentieNummer>"
        ));
        assert_eq!(
            text.matches("<wmo323:Client>").count(),
            2,
            "lines grouped per client"
        );
    }

    #[test]
    fn a_declaration_of_only_credits_has_a_credit_total() {
        let mut d = sample();
        d.lines.truncate(1);
        let text = String::from_utf8(to_xml(&d)).unwrap();
        assert!(text.contains("<iwmo:TotaalBedrag>20000</iwmo:TotaalBedrag>\r\n\t\t\t<iwmo:DebetCredit>C</iwmo:DebetCredit>"));
    }

    #[test]
    fn csv_has_a_row_per_line() {
        let csv = String::from_utf8(to_csv(&sample())).unwrap();
        let rows: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
        assert_eq!(rows.len(), 4);
        assert!(rows[1].ends_with(";20000;C"));
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }
}
