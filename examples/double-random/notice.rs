//! `notice.html`: the printable publication page (抽查结果公示).
//!
//! One self-contained page: inline CSS, no scripts, no external resources, so it prints and
//! archives as it is. Every piece of text from the records is escaped.

use crate::i18n::{self, Lang};
use crate::output::View;
use double_random::ceremony::amend::{Action, Outcome};
use double_random::ceremony::beacon::{BeaconSpec, BeaconValue, DrandChain};
use double_random::ceremony::commit::Role;
use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",SimSun,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111;line-height:1.5}\
h1{text-align:center;font-size:1.6em;margin-bottom:.2em}\
.sub{text-align:center;color:#444;margin-top:0}\
h2{font-size:1.15em;border-bottom:1px solid #999;padding-bottom:.2em;margin-top:1.6em}\
table{border-collapse:collapse;width:100%;margin:.5em 0}\
th,td{border:1px solid #999;padding:.25em .45em;text-align:left;vertical-align:top}\
th{background:#eee}\
td.n{text-align:right;white-space:nowrap}\
code,.hex{font-family:Consolas,\"DejaVu Sans Mono\",monospace;font-size:.85em;word-break:break-all}\
.note{color:#444;font-size:.9em}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

/// The page.
pub fn render(view: &View<'_>) -> String {
    let lang = view.lang;
    let l = |zh: &'static str, en: &'static str| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    let sheet = view.sheet;
    let ann = view.announcement;
    let plan = &sheet.plan;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        l("zh-CN", "en"),
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
        (l("检查事项", "Items"), escape(&view.item_names.join("；"))),
        (l("抽取编号", "Draw id"), escape(&sheet.draw_id)),
        (l("公告时间", "Announced at"), ann.announced_at.to_string()),
        (l("抽取时间", "Drawn at"), sheet.drawn_at.to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    h.push_str("</table>\n");

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
        view.announcement_digest
    );
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td class=\"hex\">{}</td></tr>",
        l("结果表摘要（SHA-256）", "Sheet digest (SHA-256)"),
        view.sheet_digest
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
            .map(|r| r.secret.to_hex())
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{role}</td><td class=\"hex\">{}</td><td class=\"hex\">{secret}</td></tr>",
            escape(&p.name),
            p.commitment
        );
    }
    h.push_str("</table>\n<table>\n");
    let (beacon_desc, beacon_value) = beacon_text(lang, ann.beacon.as_ref(), sheet.beacon.as_ref());
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
        sheet.seed
    );
    h.push_str("</table>\n");

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
            escape(&i18n::stratum_name(lang, &s.stratum)),
            s.n,
            s.k,
            i18n::chance(s.k, s.n),
            s.members_digest
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

    // Results.
    let rows = view.rows();
    let publish_risk = sheet.entities.iter().any(|e| e.stratum.is_some());
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        l("抽取结果", "Result"),
        l("序号", "No."),
        l("名称", "Name"),
        l("统一社会信用代码", "Unified social credit code"),
        l("检查人员（第一位为主检）", "Inspectors (lead first)"),
    );
    if publish_risk {
        let _ = write!(h, "<th>{}</th>", l("信用风险分类", "Risk class"));
    }
    let _ = writeln!(h, "<th>{}</th></tr>", l("备注", "Note"));
    for (i, row) in rows.iter().enumerate() {
        let e = &row.entity;
        let mut notes = vec![];
        if let Some((seq, replaced)) = &row.replacement_of {
            notes.push(match lang {
                Lang::Zh => format!("补抽（记录 {seq}，替换 {}）", escape(replaced)),
                Lang::En => format!("replacement (amendment {seq}, for {})", escape(replaced)),
            });
        }
        for seq in &row.team_changed_by {
            notes.push(match lang {
                Lang::Zh => format!("人员调整（记录 {seq}）"),
                Lang::En => format!("team changed (amendment {seq})"),
            });
        }
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td>{}</td><td><code>{}</code></td><td>{}</td>",
            i + 1,
            escape(&e.name),
            escape(&e.id),
            escape(&view.team_names(e))
        );
        if publish_risk {
            let _ = write!(
                h,
                "<td>{}</td>",
                escape(
                    &e.stratum
                        .as_deref()
                        .map(|s| i18n::stratum_name(lang, s))
                        .unwrap_or_default()
                )
            );
        }
        let _ = writeln!(h, "<td>{}</td></tr>", notes.join("；"));
    }
    h.push_str("</table>\n");

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
            rows.iter()
                .map(|r| &r.entity)
                .chain(sheet.entities.iter())
                .find(|e| e.id == id)
                .map_or_else(|| id.to_string(), |e| e.name.clone())
        };
        for a in view.amendments {
            let change = match &a.action {
                Action::ReplaceEntity { entity } => match lang {
                    Lang::Zh => format!(
                        "替换检查对象 {}（{}）",
                        escape(&name_of(entity)),
                        escape(entity)
                    ),
                    Lang::En => format!(
                        "replace entity {} ({})",
                        escape(&name_of(entity)),
                        escape(entity)
                    ),
                },
                Action::ReplaceInspector { entity, inspector } => match lang {
                    Lang::Zh => format!(
                        "替换 {} 检查组中的 {}",
                        escape(&name_of(entity)),
                        escape(&view.inspector_name(inspector))
                    ),
                    Lang::En => format!(
                        "replace {} in the team of {}",
                        escape(&view.inspector_name(inspector)),
                        escape(&name_of(entity))
                    ),
                },
            };
            let outcome = match &a.outcome {
                Outcome::ReplaceEntity { entity } => format!(
                    "{}（{}）；{}",
                    escape(&entity.name),
                    escape(&entity.id),
                    escape(&view.team_names(entity))
                ),
                Outcome::ReplaceInspector { inspector } => escape(&view.inspector_name(inspector)),
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{change}</td><td>{}：{}</td><td>{outcome}</td></tr>",
                a.seq,
                a.amended_at,
                escape(&i18n::reason(lang, a.reason.code)),
                escape(&a.reason.text)
            );
        }
        h.push_str("</table>\n");
    }

    // How to verify.
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<ol>\n<li>{}<br><code>double-random verify {} --public-key organizer.pub</code></li>\n<li>{}<br><code>python3 -m double_random_verify {} --public-key organizer.pub</code></li>\n<li>{}<br><code>minisign -Vm sheet.json -p organizer.pub</code></li>\n</ol>",
        l("如何核验", "How to verify"),
        l(
            "下载本次抽取公开的文件（announcement.json、sheet.json 及其 .minisig 签名、organizer.pub 和名录），任何人都可以独立重放抽取：",
            "Download the published files of this draw (announcement.json, sheet.json and their .minisig signatures, organizer.pub and the rosters); anyone can replay the draw independently:"
        ),
        l(
            "用本工具重放全部抽取并核对签名：",
            "Replay the whole draw and check the signatures with this tool:"
        ),
        escape(&sheet.draw_id),
        l(
            "用独立编写的 Python 核验程序（verifiers/python）重放：",
            "Replay with the independent Python verifier (verifiers/python):"
        ),
        escape(&sheet.draw_id),
        l(
            "用通用的 minisign 工具核对结果表的签名：",
            "Check the sheet's signature with the stock minisign tool:"
        ),
    );
    h.push_str("</body>\n</html>\n");
    h
}

fn beacon_text(
    lang: Lang,
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
                    hex::encode(chain_hash.0)
                ),
                Lang::En => format!(
                    "drand {} round {round} (chain <span class=\"hex\">{}</span>)",
                    escape(name),
                    hex::encode(chain_hash.0)
                ),
            }
        }
        Some(BeaconSpec::External {
            description,
            source,
        }) => format!(
            "{}<br>{}：{}",
            escape(description),
            match lang {
                Lang::Zh => "来源",
                Lang::En => "Source",
            },
            escape(source)
        ),
    };
    let value = match value {
        None => "—".to_string(),
        Some(BeaconValue::Drand { randomness, .. }) => hex::encode(randomness.0),
        Some(BeaconValue::External { value }) => escape(value),
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
