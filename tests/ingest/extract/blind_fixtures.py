"""Fictional plans in layouts the other fixture modules do not cover, each with the plan a careful reader
writes down (in the shared scorer's gold format: title, departments, KPIs with baseline / target / year,
schedule by fiscal year, pillars where the document states them).

Text formats here (markdown, plain text, HTML in UTF-8 and Shift_JIS); the DOCX and PDF probes are in
``blind_docs.py``. All towns, titles and numbers are invented.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# 1. A prefecture: 基本目標 → 施策の方向 → 主な取組 (bullets with the department in brackets), and a
#    separate 成果指標一覧 chapter whose values carry their year in brackets.

HIKARI_MD = """\
# ひかり県官民データ活用推進計画

令和6年3月

ひかり県

## 第1章 計画の基本的事項

### 1 計画策定の趣旨

本計画は、官民データ活用推進基本法第9条第1項に基づく都道府県官民データ活用推進計画です。

### 2 計画期間

令和6年度から令和10年度までの5年間とします。

## 第2章 施策の展開

### 基本目標1 県民の利便性の向上

#### 施策の方向1 行政手続のオンライン化

【主な取組】

- 電子申請サービスの拡充（デジタル推進課）
  県の申請・届出について、電子申請サービスの対象手続を順次拡大します。
- 手数料のキャッシュレス納付（会計課）
  窓口で納める手数料にキャッシュレス決済を導入します。

#### 施策の方向2 マイナンバーカードの普及及び活用

【主な取組】

- 県立施設の利用者証としてのカード活用（文化振興課）
  県立図書館や体育施設の利用者証としてカードを使えるようにします。

### 基本目標2 データを活かした地域づくり

#### 施策の方向1 オープンデータの推進

【主な取組】

- オープンデータカタログサイトの充実（デジタル推進課）
  公開するデータセットを増やし、利用しやすい形式で提供します。
- 市町村とのデータ標準化の連携（市町村課、デジタル推進課）
  市町村と共通の項目定義でデータを公開します。

#### 施策の方向2 デジタルデバイド対策

【主な取組】

- 高齢者向けスマートフォン教室の開催（長寿社会課）
  身近な会場でスマートフォンの使い方を学ぶ教室を開きます。

## 第3章 成果指標一覧

| 主な取組 | 指標名 | 基準値（年度） | 目標値（年度） |
|---|---|---|---|
| 電子申請サービスの拡充 | 電子申請に対応した手続数 | 150手続（R4） | 600手続（R10） |
| 手数料のキャッシュレス納付 | キャッシュレス決済を導入した窓口数 | 0か所（R5） | 40か所（R8） |
| 県立施設の利用者証としてのカード活用 | カードで利用できる県立施設数 | 2施設（R5） | 12施設（R10） |
| オープンデータカタログサイトの充実 | 公開データセット数 | 320件（R4） | 1,000件（R10） |
| 高齢者向けスマートフォン教室の開催 | 教室の延べ参加者数 | 800人（R4） | 5,000人（R10） |
"""

HIKARI_EXPECTED = {
    "title": "ひかり県官民データ活用推進計画",
    "measures": [
        {"title": "電子申請サービスの拡充", "pillars": ["A"], "departments": ["デジタル推進課"],
         "kpis": [{"indicator": "電子申請に対応した手続数", "baseline": "150手続", "target": "600手続",
                   "target_year": 2028}]},
        {"title": "手数料のキャッシュレス納付", "pillars": ["A"], "departments": ["会計課"],
         "kpis": [{"indicator": "キャッシュレス決済を導入した窓口数", "baseline": "0か所", "target": "40か所",
                   "target_year": 2026}]},
        {"title": "県立施設の利用者証としてのカード活用", "pillars": ["C"], "departments": ["文化振興課"],
         "kpis": [{"indicator": "カードで利用できる県立施設数", "baseline": "2施設", "target": "12施設",
                   "target_year": 2028}]},
        {"title": "オープンデータカタログサイトの充実", "pillars": ["B"], "departments": ["デジタル推進課"],
         "kpis": [{"indicator": "公開データセット数", "baseline": "320件", "target": "1,000件",
                   "target_year": 2028}]},
        {"title": "市町村とのデータ標準化の連携", "pillars": ["B"], "departments": ["市町村課", "デジタル推進課"],
         "kpis": []},
        {"title": "高齢者向けスマートフォン教室の開催", "pillars": ["D"], "departments": ["長寿社会課"],
         "kpis": [{"indicator": "教室の延べ参加者数", "baseline": "800人", "target": "5,000人",
                   "target_year": 2028}]},
    ],
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# 2. Plain text, schedule written as prose ("令和6年度に検討し、令和7年度から運用します").

SUZURAN_TXT = """\
すずらん町情報化推進計画

令和6年3月
すずらん町

1 計画の期間

本計画の期間は、令和6年度から令和9年度までの4年間とします。

2 施策の内容

(1) 行政のデジタル化

① 電子契約の導入
契約事務の効率化のため、電子契約サービスを導入します。令和6年度に検討し、令和7年度から運用します。
担当課：財政課

② 公共施設予約のオンライン化
令和6年度から令和7年度にかけて実証実験を行い、令和8年度に本格導入します。
担当課：生涯学習課

(2) 地域のデジタル化

① 公衆無線LANの整備
観光施設に公衆無線LANを整備します。
担当課：商工観光課
目標：公衆無線LANの整備箇所数 3か所（令和5年度）→10か所（令和7年度）
"""

SUZURAN_EXPECTED = {
    "title": "すずらん町情報化推進計画",
    "measures": [
        {"title": "電子契約の導入", "departments": ["財政課"], "kpis": [],
         "schedule": {"2024": "検討", "2025": "運用", "2026": "運用", "2027": "運用"}},
        {"title": "公共施設予約のオンライン化", "departments": ["生涯学習課"], "kpis": [],
         "schedule": {"2024": "実証実験", "2025": "実証実験", "2026": "本格導入"}},
        {"title": "公衆無線LANの整備", "departments": ["商工観光課"],
         "kpis": [{"indicator": "公衆無線LANの整備箇所数", "baseline": "3か所", "target": "10か所",
                   "target_year": 2025}]},
    ],
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# 3. 基本方針1 / 基本方針2 headings (the word and a number, no other marker), 施策1-1 keys, 【】 labels.

TSUBASA_TXT = """\
つばさ市DX推進計画

令和6年4月
つばさ市

第1章 計画の概要

本計画の期間は、令和6年度から令和8年度までの3年間です。

第2章 施策の展開

基本方針1 行政手続のオンライン化

施策1-1 電子申請の拡大
【内容】市民がいつでも手続できるよう、電子申請できる手続を増やします。
【担当課】総務課
【成果指標】電子申請できる手続数
【現状値】60件（令和4年度）
【目標値】150件（令和8年度）

施策1-2 キャッシュレス決済の導入
【内容】市役所の窓口で各種手数料をキャッシュレスで支払えるようにします。
【担当課】会計課
【成果指標】キャッシュレス決済に対応した窓口数
【現状値】0窓口（令和5年度）
【目標値】15窓口（令和8年度）

基本方針2 データ利活用の推進

施策2-1 オープンデータの公開拡大
【内容】市が保有するデータを機械判読に適した形式で公開します。
【担当課】企画課

施策2-2 データに基づく政策立案の推進
【内容】統計や業務データを分析し、政策の立案に活かします。
【担当課】企画課、財政課
【成果指標】データ分析を活用した事業数
【現状値】2事業（令和5年度）
【目標値】10事業（令和8年度）
"""

TSUBASA_EXPECTED = {
    "title": "つばさ市DX推進計画",
    "measures": [
        {"title": "電子申請の拡大", "departments": ["総務課"],
         "kpis": [{"indicator": "電子申請できる手続数", "baseline": "60件", "target": "150件",
                   "target_year": 2026}]},
        {"title": "キャッシュレス決済の導入", "departments": ["会計課"],
         "kpis": [{"indicator": "キャッシュレス決済に対応した窓口数", "baseline": "0窓口", "target": "15窓口",
                   "target_year": 2026}]},
        {"title": "オープンデータの公開拡大", "departments": ["企画課"], "kpis": []},
        {"title": "データに基づく政策立案の推進", "departments": ["企画課", "財政課"],
         "kpis": [{"indicator": "データ分析を活用した事業数", "baseline": "2事業", "target": "10事業",
                   "target_year": 2026}]},
    ],
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# 4. HTML from a CMS: nested div/section, h2/h3/h4, <dl> label/value pairs per measure, a schedule
#    table with th scope.

HANAMIZUKI_HTML = """\
<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>はなみずき市官民データ活用推進計画｜はなみずき市</title></head>
<body>
<header><nav><ul><li><a href="/">ホーム</a></li><li><a href="/kurashi/">くらし</a></li></ul></nav></header>
<div id="wrapper"><div id="main"><article class="page">
<h1>はなみずき市官民データ活用推進計画</h1>
<p class="update">更新日：2024年4月1日</p>
<section class="block"><h2>1 計画の期間</h2>
<div class="text"><p>令和6年度から令和9年度までの4年間とします。</p></div></section>
<section class="block"><h2>2 施策</h2>
<section class="sub"><h3>2.1 手続のオンライン化</h3>
<div class="measure"><h4>(1) オンライン申請の拡大</h4>
<dl class="measure-info">
<dt>取組内容</dt><dd>市の申請手続をオンラインで受け付けます。</dd>
<dt>担当課</dt><dd>行政改革課</dd>
<dt>指標</dt><dd>オンライン申請件数</dd>
<dt>現状値</dt><dd>2,400件（令和4年度）</dd>
<dt>目標値</dt><dd>10,000件（令和9年度）</dd>
</dl></div>
<div class="measure"><h4>(2) 窓口のデジタル化</h4>
<dl class="measure-info">
<dt>取組内容</dt><dd>書かない窓口を導入し、申請書の記入を減らします。</dd>
<dt>担当課</dt><dd>市民課</dd>
</dl></div>
</section>
<section class="sub"><h3>2.2 データの活用</h3>
<div class="measure"><h4>(1) 統計データの公開</h4>
<dl class="measure-info">
<dt>取組内容</dt><dd>人口や施設の統計を表計算ソフトで使える形式で公開します。</dd>
<dt>担当課</dt><dd>企画政策課</dd>
<dt>指標</dt><dd>公開データセット数</dd>
<dt>現状値</dt><dd>35件（令和5年度）</dd>
<dt>目標値</dt><dd>120件（令和9年度）</dd>
</dl></div>
</section></section>
<section class="block"><h2>3 スケジュール</h2>
<div class="table-wrap"><table class="schedule">
<caption>取組の年次計画</caption>
<thead><tr><th scope="col">取組</th><th scope="col">令和6年度</th><th scope="col">令和7年度</th>
<th scope="col">令和8年度</th><th scope="col">令和9年度</th></tr></thead>
<tbody>
<tr><th scope="row">オンライン申請の拡大</th><td>拡充</td><td>→</td><td>→</td><td>→</td></tr>
<tr><th scope="row">窓口のデジタル化</th><td>検討</td><td>試行</td><td>実施</td><td>→</td></tr>
<tr><th scope="row">統計データの公開</th><td>実施</td><td>→</td><td>→</td><td>→</td></tr>
</tbody></table></div></section>
</article></div>
<aside id="side"><h2>このページに関するお問い合わせ</h2><p>行政改革課</p></aside></div>
<footer><p>Copyright はなみずき市</p></footer>
</body></html>
"""

HANAMIZUKI_EXPECTED = {
    "title": "はなみずき市官民データ活用推進計画",
    "measures": [
        {"title": "オンライン申請の拡大", "departments": ["行政改革課"],
         "kpis": [{"indicator": "オンライン申請件数", "baseline": "2,400件", "target": "10,000件",
                   "target_year": 2027}],
         "schedule": {"2024": "拡充", "2025": "拡充", "2026": "拡充", "2027": "拡充"}},
        {"title": "窓口のデジタル化", "departments": ["市民課"], "kpis": [],
         "schedule": {"2024": "検討", "2025": "試行", "2026": "実施", "2027": "実施"}},
        {"title": "統計データの公開", "departments": ["企画政策課"],
         "kpis": [{"indicator": "公開データセット数", "baseline": "35件", "target": "120件",
                   "target_year": 2027}],
         "schedule": {"2024": "実施", "2025": "実施", "2026": "実施", "2027": "実施"}},
    ],
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# 5. An older static page in Shift_JIS: <font>, <br> inside cells, one table with number, name,
#    content, department and fiscal-year columns (cells 検討 / 導入 / →).

YUZURIHA_HTML = """\
<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>ゆずりは村地域情報化計画</title></head>
<body bgcolor="#ffffff">
<center><font size="5"><b>ゆずりは村地域情報化計画</b></font></center>
<p align="right">令和6年3月<br>ゆずりは村</p>
<hr>
<h3>１．計画期間</h3>
<p>令和６年度～令和８年度の３年間とします。</p>
<h3>２．取組一覧</h3>
<table border="1" cellpadding="3">
<tr bgcolor="#cccccc"><td>番号</td><td>取組名</td><td>取組の概要</td><td>担当</td>
<td>令和６年度</td><td>令和７年度</td><td>令和８年度</td></tr>
<tr><td>①</td><td>村ホームページの<br>リニューアル</td><td>スマートフォンで見やすいページにします。</td>
<td>総務課</td><td>検討</td><td>構築</td><td>運用</td></tr>
<tr><td>②</td><td>防災行政無線の<br>デジタル化</td><td>防災行政無線を更新し、聞き取りやすくします。</td>
<td>総務課<br>建設課</td><td>設計</td><td>整備</td><td>→</td></tr>
<tr><td>③</td><td>オンライン診療の支援</td><td>診療所のオンライン診療を支援します。</td>
<td>保健福祉課</td><td>導入</td><td>→</td><td>→</td></tr>
</table>
<p><font size="2">※表中の「→」は前年度の取組を継続することを示します。</font></p>
</body></html>
"""

YUZURIHA_EXPECTED = {
    "title": "ゆずりは村地域情報化計画",
    "measures": [
        {"title": "村ホームページのリニューアル", "departments": ["総務課"],
         "schedule": {"2024": "検討", "2025": "構築", "2026": "運用"}},
        {"title": "防災行政無線のデジタル化", "departments": ["総務課", "建設課"],
         "schedule": {"2024": "設計", "2025": "整備", "2026": "整備"}},
        {"title": "オンライン診療の支援", "departments": ["保健福祉課"],
         "schedule": {"2024": "導入", "2025": "導入", "2026": "導入"}},
    ],
}  # fmt: skip

TEXT_PROBES: dict[str, tuple[str, str, dict]] = {
    # name: (suffix, source, expected)
    "hikari": (".md", HIKARI_MD, HIKARI_EXPECTED),
    "suzuran": (".txt", SUZURAN_TXT, SUZURAN_EXPECTED),
    "tsubasa": (".txt", TSUBASA_TXT, TSUBASA_EXPECTED),
    "hanamizuki": (".html", HANAMIZUKI_HTML, HANAMIZUKI_EXPECTED),
    "yuzuriha": (".html", YUZURIHA_HTML, YUZURIHA_EXPECTED),
}

ENCODINGS = {"yuzuriha": "cp932"}
