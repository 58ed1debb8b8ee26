//! `notice.html`: the printable publication page (抽查结果公示).
//!
//! One self-contained page: inline CSS, no scripts, no external resources, so it prints and
//! archives as it is. Every piece of text from the records is escaped.
//!
//! The page is a function of the documents, of the language (written in `<html lang>`), of the
//! zone its times are shown in (written in `<meta name="utc-offset">`; each time keeps its UTC
//! instant in `<time datetime="…Z">`) and of [`VIEWS_VERSION`] (written in
//! `<meta name="generator">`), so a verifier can rebuild it.
//!
//! Codes, ids and digests never wrap inside themselves: codes sit in `<code>` (no wrapping),
//! and a 64-digit digest may break only between its groups of 16 digits (`<wbr>`).
//!
//! Further sections go through [`Section`]: each one is rendered, in order, before the closing
//! "how to verify" part. The sections of a published notice are [`standard_sections`]; a
//! section added there must itself be a function of the [`Publication`] and the language, so
//! that the check still rebuilds the page.

use super::local_time::Zone;
use super::{Lang, Publication, VIEWS_VERSION, chance, reason_text, stratum_name};
use crate::ceremony::amend::{Action, Outcome};
use crate::ceremony::beacon::{BeaconSpec, BeaconValue, DrandChain};
use crate::ceremony::commit::Role;
use std::fmt::Write as _;

/// The `content` of the notice's `<meta name="generator">`: the layout version it was written
/// with.
pub fn generator() -> String {
    format!("double-random views {VIEWS_VERSION}")
}

/// The name of the notice's `<meta>` that records the zone its times are shown in.
pub const OFFSET_META: &str = "utc-offset";

/// Hex for the page: groups of 16 digits with a line-break opportunity (`<wbr>`) between them,
/// so a digest never breaks elsewhere.
///
/// ```
/// let h = double_random::publish::notice::hex_html(&"ab".repeat(16));
/// assert_eq!(h, format!("{}<wbr>{}", "ab".repeat(8), "ab".repeat(8)));
/// ```
pub fn hex_html(hex: &str) -> String {
    let mut out = String::with_capacity(hex.len() + hex.len() / 16 * 5);
    for (i, c) in hex.chars().enumerate() {
        if i > 0 && i % 16 == 0 {
            out.push_str("<wbr>");
        }
        out.push(c);
    }
    escape(&out).replace("&lt;wbr&gt;", "<wbr>")
}

/// The settings a notice records: its language (`<html lang>`) and the zone of its times
/// (`<meta name="utc-offset">`), or `None` for a page that does not record them both.
///
/// ```
/// # use double_random::publish::{Publication, Lang, notice, local_time::Zone};
/// # let (ann, sheet) = double_random::internals::example_documents()?;
/// let zone: Zone = "-05:00".parse()?;
/// let p = Publication::new(&ann, &sheet, &[], None)?.with_zone(zone);
/// let page = notice::render(&p, Lang::En, &notice::standard_sections());
/// assert_eq!(notice::settings_of(&page), Some((Lang::En, zone)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn settings_of(page: &str) -> Option<(Lang, Zone)> {
    let lang = Lang::from_html_code(&attribute(page, "<html", "lang")?)?;
    let zone = offset_of(page)?.parse().ok()?;
    Some((lang, zone))
}

/// The `content` of the notice's `<meta name="utc-offset">`, as written.
pub(crate) fn offset_of(page: &str) -> Option<String> {
    attribute(page, &format!("<meta name=\"{OFFSET_META}\""), "content")
}

/// The value of `attr="…"` in the first tag of `html` that starts with `tag_start`.
pub(crate) fn attribute(html: &str, tag_start: &str, attr: &str) -> Option<String> {
    let at = html.find(tag_start)?;
    let tag = &html[at..];
    let tag = &tag[..tag.find('>')?];
    let key = format!("{attr}=\"");
    let v = &tag[tag.find(&key)? + key.len()..];
    Some(v[..v.find('"')?].to_string())
}

/// An extra section of the notice (for example a summary of what a reader can trust).
///
/// A section renders HTML from the documents alone: no clock, no environment, so the
/// verifier, which renders the same [`standard_sections`], rebuilds the same page.
pub trait Section {
    /// The section's HTML, escaped where it shows text from the documents (see [`escape`]).
    fn render(&self, p: &Publication<'_>, lang: Lang) -> String;
}

/// The sections every published notice carries after the amendments, in order: the trust
/// summary ([`TrustSection`]).
///
/// This is the one place to add a section to the published notice.
pub fn standard_sections() -> Vec<Box<dyn Section>> {
    vec![Box::new(TrustSection)]
}

/// What stops the office from choosing this result, and what does not (SPEC §13.3), in plain
/// words: the witnesses that committed; the beacon; the timestamp token beside the
/// announcement, if any (its TSA and time, for the reader to check against the TSA's
/// certificate); a drill with neither witness nor beacon; a void superseded; the amendments by
/// reason code; what the office log adds.
///
/// It reads the announcement, the amendments and [`Publication::timestamp`] only, so the
/// check rebuilds it from the folder.
///
/// ```
/// # use double_random::publish::{Publication, Lang, notice::{Section, TrustSection}};
/// # let (ann, sheet) = double_random::internals::example_documents()?;
/// // The example is a drill: no witness, no beacon.
/// let p = Publication::new(&ann, &sheet, &[], None)?;
/// let text = TrustSection.render(&p, Lang::En);
/// assert!(text.contains("the office alone chose the seed"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct TrustSection;

impl Section for TrustSection {
    fn render(&self, p: &Publication<'_>, lang: Lang) -> String {
        trust_section(p, lang)
    }
}

/// The trust summary's HTML: a heading and one list item per thing that stops (or does not
/// stop) the office from choosing the result.
fn trust_section(p: &Publication<'_>, lang: Lang) -> String {
    use crate::ceremony::verify::{TimeProof, TrustSummary};
    let zh = lang == Lang::Zh;
    let summary = TrustSummary::of(p.announcement, p.amendments, TimeProof::OfficeClaim, None);
    let mut items = vec![witnesses_item(&summary, zh), beacon_item(p, &summary, lang)];
    items.extend(timestamp_item(p, lang));
    if !summary.independent {
        items.push(if zh {
            "没有监督人，也没有公共信标：种子完全由机关一方决定（演练），本结果不能排除机关挑选。".into()
        } else {
            "No witness and no public beacon: the office alone chose the seed (a drill), and nothing rules out that it chose the result.".into()
        });
    }
    items.push(supersedes_item(p, zh));
    items.push(amendments_item(&summary, lang));
    items.push(office_log_item(p, zh));
    trust_list(zh, items)
}

/// The trust item naming the witnesses that committed, or saying there were none.
fn witnesses_item(summary: &crate::ceremony::verify::TrustSummary, zh: bool) -> String {
    if summary.witnesses.is_empty() {
        return if zh {
            "监督人：无。".into()
        } else {
            "Witnesses: none.".into()
        };
    }
    let names = escape(&summary.witnesses.join("、"));
    if zh {
        format!(
            "监督人：{names} 在公告中提交了承诺值。只要其中一位诚实、在公告公开前守住自己的秘密数，机关就无法事先算出结果。"
        )
    } else {
        format!(
            "Witnesses: {names} committed in the announcement. If one of them is honest and kept its secret until the announcement was public, the office could not know the result in advance."
        )
    }
}

/// The trust item describing the announced public beacon (drand or external), or saying
/// there was none.
fn beacon_item(
    p: &Publication<'_>,
    summary: &crate::ceremony::verify::TrustSummary,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let Some(b) = p.announcement.beacon.as_ref() else {
        return if zh {
            "公共信标：无。".into()
        } else {
            "Public beacon: none.".into()
        };
    };
    match b {
        BeaconSpec::Drand {
            chain_hash, round, ..
        } => {
            let time = summary
                .beacon
                .as_ref()
                .map(|(_, t)| p.zone.html(*t, lang))
                .unwrap_or_default();
            let name = escape(DrandChain::known(&chain_hash.0).map_or("drand", |c| c.name));
            let chain = hex_html(&hex::encode(chain_hash.0));
            if zh {
                format!(
                    "公共信标：drand {name} 第 {round} 轮（链 <span class=\"hex\">{chain}</span>），{time} 产生。信标值在公告时尚未产生，机关无法预知。"
                )
            } else {
                format!(
                    "Public beacon: drand {name} round {round} (chain <span class=\"hex\">{chain}</span>), public at {time}. Its value did not exist when the draw was announced, so the office could not know it."
                )
            }
        }
        BeaconSpec::External {
            description,
            published_at,
            ..
        } => {
            let d = escape(description);
            let published_at = p.zone.html(*published_at, lang);
            if zh {
                format!(
                    "公共信标：{d}，{published_at} 公布。信标值在公告时尚未公布，机关无法预知。"
                )
            } else {
                format!(
                    "Public beacon: {d}, published at {published_at}. Its value was not public when the draw was announced, so the office could not know it."
                )
            }
        }
    }
}

/// The trust item on the timestamp token beside the announcement: what it says, that it is
/// not over this announcement or unreadable, or (with a beacon) that there is none.
fn timestamp_item(p: &Publication<'_>, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    let tsr = crate::ceremony::steps::TIMESTAMP_FILE;
    match &p.timestamp {
        Some(super::TimestampNote::Token(t)) => {
            let tsa = t.signer.as_deref().map(escape);
            let over = t.imprint == Some(p.announcement_digest);
            Some(match (zh, tsa, over) {
                (true, tsa, true) => format!(
                    "时间戳：公告旁公布了时间戳令牌 <code>{tsr}</code>，由 {} 签发，时间 {}。本页只转述令牌的内容：读者须用该时间戳机构的证书核对它（verify --tsa-cert），核对无误才证明公告早于该时间。",
                    tsa.unwrap_or_else(|| "（令牌中未附证书的机构）".into()),
                    p.zone.html(t.gen_time, lang)
                ),
                (false, tsa, true) => format!(
                    "Timestamp: the token <code>{tsr}</code> is published beside the announcement, issued by {} at {}. This page only repeats what the token says: the reader checks it against that time-stamping authority's certificate (verify --tsa-cert), and only then is it proven that the announcement existed at that time.",
                    tsa.unwrap_or_else(|| {
                        "an authority whose certificate the token does not carry".into()
                    }),
                    p.zone.html(t.gen_time, lang)
                ),
                (true, _, false) => format!(
                    "时间戳：公告旁的 <code>{tsr}</code> 不是针对本公告的时间戳令牌，不证明任何事情；公告时间只是机关自己的说法。"
                ),
                (false, _, false) => format!(
                    "Timestamp: <code>{tsr}</code> beside the announcement is not a token over this announcement and proves nothing; the announcement time is the office's own claim."
                ),
            })
        }
        Some(super::TimestampNote::Unreadable) => Some(if zh {
            format!(
                "时间戳：公告旁的 <code>{tsr}</code> 不是可读的时间戳令牌，不证明任何事情；公告时间只是机关自己的说法。"
            )
        } else {
            format!(
                "Timestamp: <code>{tsr}</code> beside the announcement is not a readable timestamp token and proves nothing; the announcement time is the office's own claim."
            )
        }),
        None if p.announcement.beacon.is_some() => Some(if zh {
            "时间戳：公告没有时间戳令牌，公告时间只是机关自己的说法；无法独立证明公告早于信标。"
                .into()
        } else {
            "Timestamp: there is no timestamp token over the announcement, so the announcement time is the office's own claim; nothing independent proves it came before the beacon.".into()
        }),
        None => None,
    }
}

/// The trust item saying which voided draw this announcement supersedes, if any.
fn supersedes_item(p: &Publication<'_>, zh: bool) -> String {
    let supersedes = p
        .announcement
        .supersedes
        .as_ref()
        .map(|d| hex_html(&d.to_hex()));
    match (&supersedes, zh) {
        (Some(d), true) => format!(
            "本公告取代同一任务此前一次已作废的抽取（作废记录摘要 <span class=\"hex\">{d}</span>）。"
        ),
        (Some(d), false) => format!(
            "This announcement supersedes an earlier, voided draw of the same task (void digest <span class=\"hex\">{d}</span>)."
        ),
        (None, true) => "本公告不取代任何已作废的抽取。".into(),
        (None, false) => "This announcement supersedes no voided draw.".into(),
    }
}

/// The trust item counting the replacements and recusals by reason code.
fn amendments_item(summary: &crate::ceremony::verify::TrustSummary, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let counts: Vec<(crate::ceremony::amend::ReasonCode, u64)> = summary
        .replacements
        .iter()
        .chain(&summary.recusals)
        .copied()
        .collect();
    if counts.is_empty() {
        return if zh {
            "补抽与回避：无。".into()
        } else {
            "Amendments: none.".into()
        };
    }
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(c, n)| {
            if zh {
                format!("{} {n} 次", reason_text(lang, *c))
            } else {
                format!("{} {n}", reason_text(lang, *c))
            }
        })
        .collect();
    if zh {
        format!("补抽与回避：共 {total} 次（{}）。", parts.join("，"))
    } else {
        format!("Amendments: {total} ({}).", parts.join(", "))
    }
}

/// The trust item pointing to the office log and the command that checks it.
fn office_log_item(p: &Publication<'_>, zh: bool) -> String {
    let id = escape(&p.sheet.draw_id);
    if zh {
        format!(
            "同一任务的其他公告和作废记录在机关日志 <code>office.log</code> 中；用 <code>double-random verify {id} --public-key organizer.pub --log office.log</code> 核对。"
        )
    } else {
        format!(
            "Other announcements of this task and voids are in the office log <code>office.log</code>; check them with <code>double-random verify {id} --public-key organizer.pub --log office.log</code>."
        )
    }
}

/// The trust section's heading and its items as an HTML list.
fn trust_list(zh: bool, items: Vec<String>) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<ul>",
        if zh {
            "可信程度：是什么让机关无法挑选这个结果"
        } else {
            "Trust: what stops the office from choosing this result"
        }
    );
    for i in items {
        let _ = writeln!(h, "<li>{i}</li>");
    }
    h.push_str("</ul>\n");
    h
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`]d `s` added to `out`.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

pub(crate) const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",SimSun,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111;line-height:1.5}\
h1{text-align:center;font-size:1.6em;margin-bottom:.2em}\
.sub{text-align:center;color:#444;margin-top:0}\
h2{font-size:1.15em;border-bottom:1px solid #999;padding-bottom:.2em;margin-top:1.6em}\
table{border-collapse:collapse;width:100%;margin:.5em 0}\
th,td{border:1px solid #999;padding:.25em .45em;text-align:left;vertical-align:top}\
th{background:#eee}\
td.n{text-align:right;white-space:nowrap}\
code,.hex{font-family:Consolas,\"DejaVu Sans Mono\",monospace;font-size:.85em;word-break:normal;overflow-wrap:normal}\
td code{white-space:nowrap}\
li code{overflow-wrap:anywhere}\
.note{color:#444;font-size:.9em}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

/// The page, in `lang` with its times in [`Publication::zone`], with `sections` before the
/// "how to verify" part.
///
/// ```
/// # use double_random::publish::{Publication, Lang, notice};
/// # let (ann, sheet) = double_random::internals::example_documents()?;
/// let p = Publication::new(&ann, &sheet, &[], None)?;
/// let page = notice::render(&p, Lang::Zh, &notice::standard_sections());
/// assert!(page.contains("<html lang=\"zh-CN\">"));
/// assert!(page.contains("<meta name=\"utc-offset\" content=\"+08:00\">"));
/// assert!(page.contains(&notice::hex_html(&p.announcement_digest.to_hex())));
/// // Announced at 2026-03-01T01:00:00Z: 09:00 in Beijing.
/// assert!(page.contains("2026-03-01 09:00:00（北京时间 UTC+08:00）"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render(view: &Publication<'_>, lang: Lang, sections: &[Box<dyn Section>]) -> String {
    let mut h = String::new();
    page_head(&mut h, view, lang);
    plan_part(&mut h, view, lang);
    seed_part(&mut h, view, lang);
    strata_part(&mut h, view, lang);
    result_part(&mut h, view, lang);
    amendment_part(&mut h, view, lang);
    for s in sections {
        h.push_str(&s.render(view, lang));
    }
    how_to_verify(&mut h, view, lang);
    h.push_str("</body>\n</html>\n");
    h
}

/// `zh` or `en`, as `lang` asks.
fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The document head, the title and the authority and draw id under it.
fn page_head(h: &mut String, view: &Publication<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let sheet = view.sheet;
    let plan = &view.sheet.plan;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{}\">\n<meta name=\"{OFFSET_META}\" content=\"{}\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.html_code(),
        generator(),
        view.zone.offset_text(),
        l("抽查结果公示", "Inspection draw result"),
        escape(&plan.task_name),
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1>",
        l("抽查结果公示", "Inspection draw result")
    );
    let _ = writeln!(
        h,
        "<p class=\"sub\">{} · {}</p>",
        escape(&plan.authority),
        escape(&sheet.draw_id)
    );
}

/// The task: plan, task, batch, kind, authority, items and the times.
fn plan_part(h: &mut String, view: &Publication<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let sheet = view.sheet;
    let ann = view.announcement;
    let plan = &view.sheet.plan;
    // The plan.
    let _ = writeln!(h, "<h2>{}</h2>\n<table>", l("抽查任务", "Task"));
    let kind = if plan.directed {
        l("定向", "directed")
    } else {
        l("不定向", "undirected")
    };
    let rows: Vec<(&str, String)> = vec![
        (
            l("抽查计划", "Plan"),
            format!("{}　{}", escape(&plan.plan_id), escape(&plan.plan_name)),
        ),
        (
            l("抽查任务", "Task"),
            format!("{}　{}", escape(&plan.task_id), escape(&plan.task_name)),
        ),
        (l("批次", "Batch"), escape(&plan.batch)),
        (l("抽查类型", "Kind"), kind.to_string()),
        (l("抽查机关", "Authority"), escape(&plan.authority)),
        (l("检查事项", "Items"), escape(&view.items_text())),
        (
            l("抽取编号", "Draw id"),
            format!("<code>{}</code>", escape(&sheet.draw_id)),
        ),
        (
            l("公告时间", "Announced at"),
            view.zone.html(ann.announced_at, lang),
        ),
        (
            l("预定抽取时间", "Scheduled for"),
            view.zone.html(ann.scheduled_at, lang),
        ),
        (
            l("抽取时间", "Drawn at"),
            view.zone.html(sheet.drawn_at, lang),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    h.push_str("</table>\n");
}

/// The announcement, the parties' commitments and reveals, the beacon and the seed.
fn seed_part(h: &mut String, view: &Publication<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let sheet = view.sheet;
    let ann = view.announcement;
    // Commitments, reveals, beacon and seed.
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>",
        l("公告、承诺与种子", "Announcement, commitments and seed"),
        l(
            "抽取前公告已固定名录、计划的摘要和各方秘密数的承诺值；抽取时各方揭示秘密数，任何人都可核对其与承诺值相符，并由此推导出种子。",
            "Before the draw, the announcement fixed the digests of rosters and plan and each party's commitment; at the draw each party revealed its secret, which anyone can check against the commitment and use to derive the seed."
        )
    );
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td class=\"hex\">{}</td></tr>",
        l("公告摘要（SHA-256）", "Announcement digest (SHA-256)"),
        hex_html(&view.announcement_digest.to_hex())
    );
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td class=\"hex\">{}</td></tr>",
        l("结果表摘要（SHA-256）", "Sheet digest (SHA-256)"),
        hex_html(&view.sheet_digest.to_hex())
    );
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td class=\"hex\">{}</td></tr>",
        l("签名公钥编号", "Signing key id"),
        escape(&ann.key_id)
    );
    h.push_str("</table>\n<table>\n");
    let _ = writeln!(
        h,
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l("参与方", "Party"),
        l("身份", "Role"),
        l("承诺值（公告）", "Commitment (announced)"),
        l("揭示的秘密数", "Secret revealed")
    );
    for p in &ann.parties {
        let role = match p.role {
            Role::Organizer => l("组织者", "organizer"),
            Role::Witness => l("监督人", "witness"),
        };
        let secret = sheet
            .reveals
            .iter()
            .find(|r| r.name == p.name)
            .map(|r| hex_html(&r.secret.to_hex()))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{role}</td><td class=\"hex\">{}</td><td class=\"hex\">{secret}</td></tr>",
            escape(&p.name),
            hex_html(&p.commitment.to_hex())
        );
    }
    h.push_str("</table>\n<table>\n");
    let (beacon_desc, beacon_value) =
        beacon_text(lang, view.zone, ann.beacon.as_ref(), sheet.beacon.as_ref());
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td>{beacon_desc}</td></tr>",
        l("公共信标（公告时指定）", "Public beacon (named in advance)")
    );
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td class=\"hex\">{beacon_value}</td></tr>",
        l("信标值", "Beacon value")
    );
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td class=\"hex\">{}</td></tr>",
        l("种子", "Seed"),
        hex_html(&sheet.seed.to_hex())
    );
    h.push_str("</table>\n");
}

/// Each stratum's n, k and chance, and the entities left out.
fn strata_part(h: &mut String, view: &Publication<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let sheet = view.sheet;
    // Strata: n, k and the chance.
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l("各层抽取情况", "Strata"),
        l(
            "n 为该层符合条件的检查对象总数，k 为抽取数；该层每个对象被抽中的机会均为 k/n。",
            "n is the number of eligible entities in the stratum and k the number drawn; each has the same chance k/n of being drawn."
        ),
        l("层", "Stratum"),
        l("总数 n", "n"),
        l("抽取数 k", "k"),
        l("抽中机会 k/n", "Chance k/n"),
        l("成员摘要", "Members digest"),
    );
    for s in &sheet.strata {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"hex\">{}</td></tr>",
            escape(&stratum_name(lang, &s.stratum)),
            s.n,
            s.k,
            chance(s.k, s.n),
            hex_html(&s.members_digest.to_hex())
        );
    }
    h.push_str("</table>\n");
    let ex = &sheet.excluded;
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>",
        match lang {
            Lang::Zh => format!(
                "未纳入抽取范围：不符合筛选条件 {} 户，近期已检查 {} 户，达到年度检查次数上限 {} 户。",
                ex.filtered, ex.recently_inspected, ex.yearly_cap
            ),
            Lang::En => format!(
                "Left out: {} by the plan's filters, {} inspected recently, {} at the yearly cap.",
                ex.filtered, ex.recently_inspected, ex.yearly_cap
            ),
        }
    );
}

/// The drawn entities and their teams, with the amendments that changed them.
fn result_part(h: &mut String, view: &Publication<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let sheet = view.sheet;
    // Results.
    let publish_risk = sheet.entities.iter().any(|e| e.stratum.is_some());
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        l("抽取结果", "Result"),
        l("序号", "No."),
        l("名称", "Name"),
        l("统一社会信用代码", "Unified social credit code"),
        l(
            "检查人员及执法证号（第一位为主检）",
            "Inspectors and certificate numbers (lead first)"
        ),
    );
    if publish_risk {
        let _ = write!(h, "<th>{}</th>", l("信用风险分类", "Risk class"));
    }
    let _ = writeln!(h, "<th>{}</th></tr>", l("备注", "Note"));
    for (i, e) in view.entities_after().iter().enumerate() {
        let _ = write!(h, "<tr><td class=\"n\">{}</td><td>", i + 1);
        escape_into(h, &e.name);
        h.push_str("</td><td><code>");
        escape_into(h, &e.id);
        h.push_str("</code></td><td>");
        view.push_team_with_ids(h, e, lang, escape_into);
        h.push_str("</td>");
        if publish_risk {
            h.push_str("<td>");
            if let Some(s) = &e.stratum {
                escape_into(h, &stratum_name(lang, s));
            }
            h.push_str("</td>");
        }
        h.push_str("<td>");
        let mut notes = 0;
        let mut note = |h: &mut String| {
            if notes > 0 {
                h.push('；');
            }
            notes += 1;
        };
        if let Some((seq, replaced)) = view.replacement_of(&e.id) {
            note(h);
            let _ = match lang {
                Lang::Zh => write!(
                    h,
                    "补抽（记录 {seq}，替换 <code>{}</code>）",
                    escape(replaced)
                ),
                Lang::En => write!(
                    h,
                    "replacement (amendment {seq}, for <code>{}</code>)",
                    escape(replaced)
                ),
            };
        }
        for seq in view.team_changed_by(&e.id) {
            note(h);
            let _ = match lang {
                Lang::Zh => write!(h, "人员调整（记录 {seq}）"),
                Lang::En => write!(h, "team changed (amendment {seq})"),
            };
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</table>\n");
}

/// The amendments: what changed, why, and what the fixed rules drew.
fn amendment_part(h: &mut String, view: &Publication<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let sheet = view.sheet;
    // Amendments.
    let _ = writeln!(h, "<h2>{}</h2>", l("补抽与回避记录", "Amendments"));
    if view.amendments.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", l("无。", "None."));
    } else {
        let _ = writeln!(
            h,
            "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            l("记录", "No."),
            l("时间", "Time"),
            l("变更", "Change"),
            l("原因", "Reason"),
            l("结果（按固定规则抽出）", "Outcome (drawn by fixed rules)")
        );
        let name_of = |id: &str| -> String {
            view.entities_after()
                .iter()
                .chain(sheet.entities.iter())
                .find(|e| e.id == id)
                .map_or_else(|| id.to_string(), |e| e.name.clone())
        };
        for a in view.amendments {
            let change = match &a.action {
                Action::ReplaceEntity { entity } => match lang {
                    Lang::Zh => format!(
                        "替换检查对象 {}（<code>{}</code>）",
                        escape(&name_of(entity)),
                        escape(entity)
                    ),
                    Lang::En => format!(
                        "replace entity {} (<code>{}</code>)",
                        escape(&name_of(entity)),
                        escape(entity)
                    ),
                },
                Action::ReplaceInspector { entity, inspector } => match lang {
                    Lang::Zh => format!(
                        "替换 {} 检查组中的 {}",
                        escape(&name_of(entity)),
                        escape(&view.inspector_with_id(inspector, lang))
                    ),
                    Lang::En => format!(
                        "replace {} in the team of {}",
                        escape(&view.inspector_with_id(inspector, lang)),
                        escape(&name_of(entity))
                    ),
                },
            };
            let outcome = match &a.outcome {
                Outcome::ReplaceEntity { entity } => format!(
                    "{}（<code>{}</code>）；{}",
                    escape(&entity.name),
                    escape(&entity.id),
                    escape(&view.team_with_ids(entity, lang))
                ),
                Outcome::ReplaceInspector { inspector } => {
                    escape(&view.inspector_with_id(inspector, lang))
                }
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{change}</td><td>{}：{}</td><td>{outcome}</td></tr>",
                a.seq,
                view.zone.html(a.amended_at, lang),
                escape(reason_text(lang, a.reason.code)),
                escape(&a.reason.text)
            );
        }
        h.push_str("</table>\n");
    }
}

/// How to verify: runnable as printed from inside the office's public folder.
fn how_to_verify(h: &mut String, view: &Publication<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let sheet = view.sheet;
    // How to verify: runnable as printed from inside the office's public folder.
    let id = escape(&sheet.draw_id);
    let tsa = if view.timestamp.is_some() {
        l(
            " --tsa-cert &lt;时间戳机构的证书&gt;",
            " --tsa-cert &lt;the TSA&#39;s certificate&gt;",
        )
    } else {
        ""
    };
    let src = l("&lt;源代码&gt;", "&lt;source&gt;");
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<ol>\n<li>{}<br><code>double-random verify {id} --public-key organizer.pub --log office.log{tsa}</code></li>\n<li>{}<br><code>PYTHONPATH={src}/verifiers/python python3 -m double_random_verify {id} --public-key organizer.pub --log office.log{tsa}</code></li>\n<li>{}<br><code>minisign -Vm {id}/sheet.json -p organizer.pub</code></li>\n</ol>\n<p class=\"note\">{}</p>",
        l("如何核验", "How to verify"),
        match lang {
            Lang::Zh => format!(
                "机关公开的文件夹中有机关日志 office.log、日志检查点 checkpoints/、公钥 organizer.pub，以及本次抽取的文件夹 {id}/：签名的公告 announcement.json、结果表 sheet.json、补抽与回避记录 amendment-N.json（各附 .minisig 签名）、公告的时间戳令牌（如有）、计划 plan.toml、检查事项 items.csv 和本公示页。请从机关网站等独立渠道核对公钥 organizer.pub。在该文件夹中运行以下命令，任何人都可以核对签名、机关日志和各层抽取数："
            ),
            Lang::En => format!(
                "The office's public folder holds the office log office.log, its checkpoints checkpoints/, the public key organizer.pub, and this draw's folder {id}/: the signed announcement announcement.json, the result sheet sheet.json, the amendments amendment-N.json (each with its .minisig signature), the announcement's timestamp token (if any), the plan plan.toml, the items items.csv and this notice. Check organizer.pub against the key the office publishes through its own channel. Run these in that folder; anyone can check the signatures, the office log and each stratum's count:"
            ),
        },
        l(
            "本项目的核验程序（从本项目的发布版本下载，或从源代码编译）：",
            "This project's verifier (from its release, or built from its source):"
        ),
        l(
            "独立编写的 Python 核验程序（本项目源代码中的 verifiers/python）：",
            "The independent Python verifier (verifiers/python in this project's source):"
        ),
        l(
            "通用的 minisign 工具（与本项目无关的现成工具）核对结果表的签名：",
            "The stock minisign tool (not part of this project) checks the sheet's signature:"
        ),
        l(
            "检查对象名录含机关内部的风险分类，检查人员名录含个人信息，不公开；因此公开文件核验签名、日志、计划和各层抽取数，完整重放抽取需要名录，由有权查阅者（如纪检监察机关）在机关的工作文件夹中进行。",
            "The entity roster holds the office's internal risk classes and the inspector roster personal data, so they are not published: the public files prove the signatures, the log, the plan and each stratum's count; a full replay of the draw needs the rosters and is for those entitled to them (such as the discipline inspectors), in the office's working folder."
        ),
    );
    let _ = writeln!(
        h,
        "<p>{}</p>",
        l(
            "不用安装任何程序：在浏览器中打开同一文件夹中的 <a href=\"verify.html\">verify.html</a>，把本次抽取的文件拖进去，它用与核验程序相同的代码核对签名、承诺、随机种子和各层抽取数，全部在本机完成，不联网。",
            "Nothing to install: open <a href=\"verify.html\">verify.html</a> from the same folder in a browser and drop this draw's files on it; it checks the signatures, commitments, seed and each stratum's count with the same code as the verifier, on this computer, without the network."
        ),
    );
}

fn beacon_text(
    lang: Lang,
    zone: Zone,
    spec: Option<&BeaconSpec>,
    value: Option<&BeaconValue>,
) -> (String, String) {
    let none = match lang {
        Lang::Zh => "无（种子仅由各方秘密数决定）",
        Lang::En => "none (the seed comes from the parties' secrets alone)",
    };
    let desc = match spec {
        None => none.to_string(),
        Some(BeaconSpec::Drand {
            chain_hash, round, ..
        }) => {
            let name = DrandChain::known(&chain_hash.0).map_or("drand", |c| c.name);
            match lang {
                Lang::Zh => format!(
                    "drand {} 第 {round} 轮（链 <span class=\"hex\">{}</span>）",
                    escape(name),
                    hex_html(&hex::encode(chain_hash.0))
                ),
                Lang::En => format!(
                    "drand {} round {round} (chain <span class=\"hex\">{}</span>)",
                    escape(name),
                    hex_html(&hex::encode(chain_hash.0))
                ),
            }
        }
        Some(BeaconSpec::External {
            description,
            source,
            published_at,
            ..
        }) => format!(
            "{}<br>{}：{}<br>{}：{}",
            escape(description),
            match lang {
                Lang::Zh => "来源",
                Lang::En => "Source",
            },
            escape(source),
            match lang {
                Lang::Zh => "公布时间",
                Lang::En => "Published at",
            },
            zone.html(*published_at, lang)
        ),
    };
    let value = match value {
        None => "—".to_string(),
        Some(BeaconValue::Drand { randomness, .. }) => hex_html(&hex::encode(randomness.0)),
        Some(BeaconValue::External { groups }) => groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|x| format!("{x:02}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" + "),
    };
    (desc, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<script>alert('x')&\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;"
        );
    }
}
