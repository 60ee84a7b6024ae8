"""A seeded grammar of fictional municipal plans: content (town, policies, measures, KPIs, schedules)
and the writing style (layout, format, numbering, label synonyms, era style, field order, distractors).

Content and style come from two random streams of the same seed, so a style can be changed
(:func:`restyle`) without changing what the plan says. The helpers at the end write one value the way a
style says (fiscal years, ranges, KPI lines, schedule chains); render.py composes documents from them and
expected.py reads the same choices, so the expected plan follows by construction.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

PILLARS = ("A", "B", "C", "D", "E", "other")
ARTICLE = {"A": "第10条", "B": "第11条", "C": "第13条", "D": "第14条", "E": "第15条"}
PILLAR_NAMES = {
    "A": ["手続のオンライン化", "オンライン化原則", "行政手続のオンライン化"],
    "B": ["オープンデータの推進", "オープンデータ", "官民データの容易な利用"],
    "C": ["マイナンバーカードの普及・活用", "マイナンバーカード", "個人番号カードの普及及び活用"],
    "D": ["デジタルデバイド対策", "情報格差の是正", "利用の機会等の格差の是正"],
    "E": ["標準化・BPR", "情報システムの標準化・業務改革", "規格の整備及び互換性の確保"],
    "other": ["その他", "その他の取組"],
}
# a policy heading that names its pillar (the plan is organised by the law's five measures)
PILLAR_POLICY = {
    "A": [
        "手続のオンライン化の推進",
        "行政手続のオンライン化（基本法第10条）",
        "オンライン化原則に基づく手続の見直し",
    ],
    "B": ["オープンデータの推進", "オープンデータの推進（基本法第11条）", "官民データの利活用の推進"],
    "C": ["マイナンバーカードの普及及び活用", "マイナンバーカードの普及・活用（基本法第13条）"],
    "D": ["デジタルデバイド対策", "利用の機会等の格差の是正（基本法第14条）", "誰一人取り残さないデジタル化"],
    "E": ["情報システムの標準化・BPR", "業務の見直しとシステム標準化（基本法第15条）"],
    "other": ["その他の取組", "その他（人材育成・情報セキュリティ）"],
}
THEME_POLICIES = [
    "住民サービスの利便性向上", "行政運営の効率化", "地域社会のデジタル化", "推進基盤の強化",
    "誰もが使えるデジタル環境づくり", "データを活かしたまちづくり", "安全・安心な情報基盤",
]  # fmt: skip

STEMS = ["星見", "朝霧", "若葉野", "虹ヶ丘", "風見", "月影", "鈴音", "雪代", "水鏡", "花咲", "みずほ野",
         "ひばり台", "こもれび", "かざはな", "ゆずりは", "つきみ野", "はるかぜ", "白砂", "緑風", "青波"]  # fmt: skip
KINDS = ["市", "町", "村", "区"]
PLAN_KINDS = ["官民データ活用推進計画", "DX推進計画", "情報化推進計画", "デジタル化推進計画",
              "官民データ活用推進計画（第2期）", "地域情報化計画", "自治体DX推進計画"]  # fmt: skip

IT_DEPTS = ["情報政策課", "デジタル推進課", "DX推進課", "情報システム課", "企画課", "行政経営課",
            "デジタル戦略室", "DX推進室", "情報推進係"]  # fmt: skip
DEPTS = {
    "住民": ["{k}民課", "窓口サービス課", "住民課"], "税務": ["税務課", "課税課"], "子育て": ["子育て支援課", "こども家庭課"],
    "福祉": ["福祉課", "高齢福祉課", "長寿介護課"], "健康": ["健康推進課", "保険年金課"],
    "教育": ["教育総務課", "学校教育課"], "防災": ["危機管理課", "防災安全課"], "産業": ["産業振興課", "商工観光課"],
    "観光": ["観光交流課", "商工観光課"], "人事": ["人事課", "職員課"], "総務": ["総務課"], "企画": ["企画政策課", "企画調整課"],
    "財政": ["財政課"], "会計": ["会計課", "出納室"], "図書館": ["中央図書館", "生涯学習課"], "農林": ["農林振興課"],
    "交通": ["交通政策課", "都市計画課"], "広報": ["広報広聴課", "秘書広報課"],
}  # fmt: skip

# (pillar, title variants, description, department keys, KPI specs)
# KPI spec: (indicator, unit, baseline range, target range, rate word allowed) — a str range is a word
TEMPLATES: list[tuple[str, list[str], str, list[str], list[tuple]]] = [
    ("A", ["行政手続のオンライン化の推進", "電子申請サービスの拡充", "オンライン申請の対象手続の拡大"],
     "住民が来庁せずに手続できるよう、電子申請の対象となる手続を順次拡大します。", ["IT", "住民"],
     [("オンライン申請が可能な手続数", "手続", (30, 90), (120, 300), False), ("電子申請の利用件数", "件", (200, 900), (1500, 6000), True)]),
    ("A", ["公共施設予約のオンライン化", "施設予約システムの導入"],
     "体育館や公民館などの予約をスマートフォンから行えるようにします。", ["企画", "図書館"],
     [("オンライン予約の利用率", "%", (5, 30), (50, 80), False)]),
    ("A", ["窓口キャッシュレス決済の導入", "証明書手数料のキャッシュレス化"],
     "窓口での手数料の支払にキャッシュレス決済を導入し、待ち時間の短縮を図ります。", ["会計", "住民"],
     [("キャッシュレス決済に対応した窓口数", "か所", (0, 3), (8, 20), False)]),
    ("A", ["子育て・介護手続のオンライン化", "子育て関連手続の電子申請化"],
     "児童手当や要介護認定などの手続をマイナポータルから申請できるようにします。", ["子育て", "福祉"],
     [("マイナポータルから申請できる子育て・介護手続数", "手続", (3, 10), (26, 40), False)]),
    ("A", ["電子契約の導入", "契約事務の電子化"],
     "事業者との契約を電子契約サービスで締結できるようにし、印紙代や郵送の負担を減らします。", ["財政", "総務"],
     [("電子契約の締結件数", "件", (0, 20), (150, 400), True)]),
    ("A", ["書かない窓口の導入", "窓口手続のワンストップ化"],
     "申請書を書かずに済む窓口を整え、複数の手続を一度に済ませられるようにします。", ["住民"],
     [("書かない窓口の利用件数", "件", (0, 300), (2000, 5000), True), ("窓口の平均待ち時間", "分", (25, 40), (10, 15), False)]),
    ("A", ["押印・書面規制の見直し", "行政手続における押印の廃止"],
     "条例や規則で求めている押印や書面の提出を見直し、オンラインで完結できる手続を増やします。", ["総務"],
     [("押印を廃止した手続の割合", "%", (40, 70), (95, 100), False)]),
    ("B", ["オープンデータの公開拡大", "オープンデータの推進", "保有データのオープンデータ化"],
     "保有するデータを機械判読に適した形式で公開し、公開件数を増やします。", ["IT", "企画"],
     [("公開データセット数", "件", (10, 60), (100, 250), False)]),
    ("B", ["推奨データセットの整備", "推奨データセットに準拠したデータ公開"],
     "国が示す推奨データセットの形式に合わせてデータを整え、他の自治体と比べられるようにします。", ["IT"],
     [("推奨データセットの公開率", "%", (10, 40), (80, 100), False)]),
    ("B", ["データ利活用の促進", "地域データ活用アイデアソンの開催"],
     "大学や事業者と連携して、公開データを使った課題解決のワークショップを開きます。", ["企画", "産業"],
     [("アイデアソン等の開催回数", "回", (0, 1), (3, 6), True)]),
    ("B", ["統計データの可視化", "統計情報のグラフ化と公開"],
     "人口や財政の統計をグラフで分かりやすく示すページを作ります。", ["企画", "広報"],
     [("統計ダッシュボードの閲覧数", "件", (500, 2000), (8000, 20000), True)]),
    ("C", ["マイナンバーカードの普及促進", "マイナンバーカードの取得支援"],
     "休日窓口や出張申請受付を行い、カードを取得しやすい環境を整えます。", ["住民"],
     [("マイナンバーカードの交付率", "%", (50, 70), (90, 100), False), ("出張申請受付の実施回数", "回", (2, 10), (24, 48), True)]),
    ("C", ["コンビニ交付サービスの利用促進", "証明書のコンビニ交付の推進"],
     "住民票の写しなどをコンビニエンスストアで取得できることを周知し、利用を広げます。", ["住民", "広報"],
     [("証明書のコンビニ交付率", "%", (10, 25), (40, 60), False)]),
    ("C", ["マイナンバーカードを活用した行政サービスの拡大", "カードを使った本人確認サービスの導入"],
     "図書館の利用カードや避難所の受付など、マイナンバーカードを使える場面を増やします。", ["IT", "図書館", "防災"],
     [("カードを活用した独自サービス数", "サービス", (0, 2), (5, 8), False)]),
    ("D", ["スマートフォン教室の開催", "高齢者向けデジタル講座の実施"],
     "スマートフォンの基本操作や行政アプリの使い方を学ぶ講座を公民館で開きます。", ["福祉", "図書館"],
     [("スマートフォン教室の参加者数", "人", (50, 150), (400, 900), True)]),
    ("D", ["デジタル活用支援員の育成", "地域のデジタル支援人材の確保"],
     "地域でデジタル機器の使い方を教える支援員を育て、身近な相談先を増やします。", ["福祉", "IT"],
     [("デジタル活用支援員の登録者数", "人", (0, 10), (30, 60), False)]),
    ("D", ["公共施設への公衆無線LANの整備", "公衆無線LANの設置拡大"],
     "避難所となる公共施設に公衆無線LANを設置し、平常時も利用できるようにします。", ["防災", "IT"],
     [("公衆無線LANの設置箇所数", "か所", (3, 10), (20, 35), False)]),
    ("D", ["ウェブアクセシビリティの確保", "ホームページのアクセシビリティ向上"],
     "高齢者や障がいのある方にも使いやすいよう、ホームページを規格に沿って改善します。", ["広報"],
     [("アクセシビリティ試験の適合ページ率", "%", (30, 60), (90, 100), False)]),
    ("D", ["デジタル相談窓口の設置", "デジタルよろず相談会の開催"],
     "手続やアプリの使い方を気軽に相談できる窓口を庁舎内に設けます。", ["IT", "住民"],
     [("デジタル相談の件数", "件", (0, 100), (500, 1200), True)]),
    ("E", ["基幹業務システムの標準化・共通化", "標準準拠システムへの移行"],
     "住民記録や税などの基幹業務システムを国の標準仕様に準拠したシステムへ移行します。", ["IT", "税務"],
     [("標準準拠システムへ移行した業務数", "業務", (0, 2), (20, 20), False)]),
    ("E", ["ガバメントクラウドの活用", "ガバメントクラウドへの移行"],
     "標準化の対象システムをガバメントクラウド上で運用し、運用経費の削減を図ります。", ["IT"],
     [("ガバメントクラウドへの移行状況", "", "未移行", "移行完了", False)]),
    ("E", ["業務プロセスの見直し（BPR）", "業務改革（BPR）の推進"],
     "業務量調査を行い、手順の見直しとデジタル技術の導入を組み合わせて業務を効率化します。", ["企画", "人事"],
     [("BPRを実施した業務数", "業務", (0, 5), (20, 40), False)]),
    ("E", ["RPA・AI-OCRの活用", "定型業務の自動化"],
     "入力や照合などの定型業務にRPAやAI-OCRを導入し、職員の事務負担を減らします。", ["IT", "財政"],
     [("RPAによる削減時間", "時間", (100, 500), (2000, 4000), True)]),
    ("E", ["電子決裁・文書管理システムの導入", "文書事務の電子化"],
     "起案から決裁、保存までを電子で行えるようにし、紙の文書を減らします。", ["総務"],
     [("電子決裁率", "%", (5, 30), (80, 95), False)]),
    ("E", ["テレワーク環境の整備", "多様な働き方を支える情報基盤の整備"],
     "庁外からも安全に業務ができる端末と回線を整え、災害時の業務継続にも備えます。", ["人事", "IT"],
     [("テレワークを実施した職員数", "人", (10, 50), (150, 300), False)]),
    ("E", ["ペーパーレス会議の推進", "会議資料の電子化"],
     "タブレット端末を使った会議を広げ、印刷と配布の手間を減らします。", ["総務"],
     [("紙の使用量の削減率", "%", (0, 5), (30, 50), False)]),
    ("other", ["デジタル人材の育成", "職員のデジタルスキル向上"],
     "全職員を対象とした研修を行い、各課でデジタル化を進める職員を育てます。", ["人事", "IT"],
     [("DX研修の受講者数", "人", (30, 100), (300, 600), True)]),
    ("other", ["情報セキュリティ対策の強化", "情報セキュリティポリシーの見直し"],
     "情報セキュリティポリシーを見直し、標的型攻撃への訓練と監査を毎年度行います。", ["IT", "総務"],
     [("情報セキュリティ研修の受講率", "%", (60, 85), (100, 100), False)]),
    ("other", ["防災情報のデジタル配信", "防災アプリによる情報発信"],
     "防災行政無線の放送内容をアプリとメールで配信し、聞き逃しを防ぎます。", ["防災"],
     [("防災アプリの登録者数", "人", (500, 3000), (8000, 15000), False)]),
    ("other", ["生成AIの業務活用", "AIを活用した業務効率化"],
     "文書作成や議事録の要約に生成AIを試行し、利用の指針を定めて全庁に広げます。", ["IT", "企画"],
     [("生成AIを活用した業務数", "業務", (0, 3), (15, 30), False)]),
    ("other", ["スマート農業の推進", "農業分野のデジタル技術活用"],
     "ドローンやセンサーを活用した農作業の省力化を農業者とともに進めます。", ["農林"],
     [("スマート農業技術の導入経営体数", "経営体", (0, 5), (20, 40), False)]),
    ("other", ["観光情報のデジタル発信", "観光アプリによる周遊促進"],
     "観光スポットやイベントの情報を多言語で発信し、周遊を促します。", ["観光", "広報"],
     [("観光サイトの閲覧数", "件", (10000, 40000), (80000, 150000), True)]),
    ("other", ["デマンド交通の予約のデジタル化", "地域公共交通のデジタル化"],
     "乗合タクシーの予約をアプリと電話の両方で受け付け、運行を効率化します。", ["交通"],
     [("アプリによる予約の割合", "%", (0, 10), (40, 60), False)]),
    ("other", ["学校のICT環境の充実", "一人一台端末の活用推進"],
     "児童生徒の一人一台端末を授業と家庭学習で活用できるよう、研修と支援を行います。", ["教育"],
     [("端末を毎日活用している学級の割合", "%", (40, 70), (100, 100), False)]),
    ("other", ["外部デジタル人材の活用", "CIO補佐官の任用"],
     "専門的な知見を持つ外部人材を任用し、全庁のデジタル化を技術面から支援します。", ["IT", "人事"], []),
    ("other", ["個人情報保護の徹底", "個人情報の適正な管理"],
     "個人情報の取扱いに関する規程を見直し、職員への研修を行います。", ["総務"], []),
]  # fmt: skip
LONG_PREFIX = ["高齢者や障がいのある方を含む全ての住民が利用できる", "庁内の関係部署が連携して取り組む",
               "国や県の動向を踏まえた段階的な"]  # fmt: skip

PHASE_RUNS = [
    ["検討", "実施"], ["検討", "準備", "実施"], ["調査研究", "導入", "運用"], ["運用"], ["実施"],
    ["構築", "運用"], ["導入", "運用", "拡充"], ["検討", "試行", "本格実施"], ["移行", "運用"],
    ["設計", "構築", "運用"], ["推進"], ["見直し", "運用"], ["実施", "拡充"], ["検討", "導入"],
]  # fmt: skip
PREP = {"検討", "調査研究", "準備", "設計", "試行", "見直し"}

SYNONYMS = {
    "dept": ["担当課", "担当部署", "担当部局", "所管課", "所管部署", "主管課", "実施主体", "推進主体", "実施機関",
             "関係課", "担当"],
    "kpi": ["KPI", "成果指標", "評価指標", "活動指標", "指標", "指標名", "数値目標", "目標項目"],
    "baseline": ["現状値", "現況値", "基準値", "実績値", "現状"],
    "target": ["目標値", "目標", "到達目標"],
    "schedule": ["スケジュール", "工程", "工程表", "年次計画", "年度別計画", "実施予定", "実施時期", "ロードマップ"],
    "desc": ["内容", "概要", "取組概要", "取組内容", "事業内容", "現状と課題", "めざす姿"],
    "pillar_article": ["関連条項", "根拠条文", "基本法の条項"],
    "pillar_name": ["基本法の柱", "基本的施策", "関連する施策の柱"],
    "title": ["施策名", "取組名", "事業名", "取組項目"],
}  # fmt: skip

LAYOUT_FORMATS = {
    "labels": ["txt", "md", "html", "docx", "pdf", "pptx"],
    "proptable": ["txt", "md", "html", "docx", "pdf", "pptx"],
    "rowtable": ["md", "html", "docx", "pdf", "xlsx", "pptx"],
    "prose": ["txt", "md", "html", "docx", "pdf"],
    "gantt": ["txt", "md", "html", "docx", "pdf", "xlsx", "pptx"],
}
LAYOUTS = list(LAYOUT_FORMATS)
FORMAT_WEIGHT = {"txt": 3, "md": 2, "html": 2, "docx": 3, "pdf": 4, "xlsx": 1, "pptx": 1}

CHAPTER_NUM = ["第{n}章", "{n}.", "{R}", "{F}", "{n}"]
POLICY_NUM = ["基本方針{n}", "({n})", "（{F}）", "{R}.", "【{n}】", "施策の柱{n}", "{n}.", "基本目標{n}"]
MEASURE_NUM = ["{p}-{m}", "{c}-{p}-{m}", "({m})", "（{Fm}）", "{circ}", "{kata}", "({kata})", "【{p}-{m}】",
               "施策{g}", "取組{g}", "取組項目{g}：", "{Fm}．", "{m})"]  # fmt: skip
LABEL_FORMS = ["【{}】", "{}：", "＜{}＞", "■{}：", "◆{}　", "〔{}〕", "{}:", "《{}》"]
# how a field with its value is written: a label line (LABEL_FORMS), a definition list (<dl><dt>担当課</dt>
# <dd>企画課</dd></dl> in HTML, "担当課\n: 企画課" in Markdown, a term line then an indented value line in
# txt / docx / pdf / pptx) or a bold label before the value (**担当課** 企画課, <b>担当課</b>　企画課, a bold
# run then a normal run in docx)
FIELD_FORMS = ["label", "label", "dl", "bold"]
FIELD_FORM_FORMATS = {
    "label": {"txt", "md", "html", "docx", "pdf", "xlsx", "pptx"},
    "dl": {"txt", "md", "html", "docx", "pdf", "pptx"},
    "bold": {"md", "html", "docx"},
}
ERAS = ["reiwa", "reiwa_fw", "R", "west", "west_fw", "both"]


@dataclass
class GenKpi:
    indicator: str
    unit: str
    baseline: str | None  # the number (or word) as written, without the unit
    baseline_fy: int | None
    target: str
    target_fy: int
    rate: str = ""  # 年間 / 累計, written before the target value

    @property
    def baseline_text(self) -> str | None:
        return None if self.baseline is None else f"{self.baseline}{self.unit}"

    @property
    def target_text(self) -> str:
        return f"{self.rate}{self.target}{self.unit}"


@dataclass
class GenMeasure:
    key: str
    title: str
    description: str
    pillars: list[str]
    departments: list[str]
    kpis: list[GenKpi]
    phases: dict[int, str]  # fiscal year → phase word (content); schedule() writes it in the plan's style
    policy: int
    pillars_stated: bool = False


@dataclass
class GenPolicy:
    key: str
    title: str
    pillar: str | None  # the pillar the heading names, if it names one


@dataclass
class Style:
    layout: str
    fmt: str
    era: str
    chapter_num: str
    policy_num: str
    measure_num: str
    label_form: str
    value_newline: bool
    syn: dict[str, str]
    kpi_style: str  # lines, oneline, box, prose, rows (property table), columns (row table)
    sched_style: str  # chain, grid, yearlines, sentence, gantt_end, columns, none
    grid_cells: str  # words, marks, arrows, span, bars (PDF only: filled cells, the word on the first)
    dept_style: str  # label, title_paren, sentence, column, row
    pillar_style: str  # policy, article, name, matrix, none
    dept_sep: str
    field_order: list[str]
    heading_markup: str  # md: hash / plain (bold lines on even seeds); docx: styles / bold; html: h / boldp
    chain_arrow: str
    toc: bool
    toc_measures: bool
    footer: bool
    prev_plan: bool
    glossary: bool
    title_row: bool  # property table: a 施策名 row instead of a heading
    gantt_row_label: str  # key_title, title, key
    field_form: str = "label"  # label, dl, bold (FIELD_FORMS; a format without the form writes label lines)


@dataclass
class GenPlan:
    seed: int
    town: str
    title: str
    published: str
    start_fy: int
    end_fy: int
    prev_period: tuple[int, int]
    policies: list[GenPolicy]
    measures: list[GenMeasure]
    style: Style
    subtitle: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# content


def _value(rng: random.Random, rng_range, unit: str) -> str:
    if isinstance(rng_range, str):
        return rng_range
    lo, hi = rng_range
    v = rng.randint(lo, hi)
    if unit == "%" and rng.random() < 0.2 and v < 100:
        return f"{v}.{rng.randint(1, 9)}"
    if v >= 1000 and rng.random() < 0.8:
        return f"{v:,}"
    return str(v)


def _content(seed: int):
    rng = random.Random(f"keikaku-gen-{seed}-content")
    kind = rng.choices(KINDS, weights=[4, 4, 2, 1])[0]
    town = rng.choice(STEMS) + kind
    title = town + rng.choice(PLAN_KINDS)
    start = rng.randint(2021, 2027)
    years = rng.choice([3, 4, 5, 5, 5, 6])
    end = start + years - 1
    prev_len = rng.choice([3, 4, 5])
    prev = (start - prev_len, start - 1)
    it = rng.choice(IT_DEPTS)
    dept_names = {"IT": it}
    for key, names in DEPTS.items():
        dept_names[key] = rng.choice(names).replace(
            "{k}", "市" if kind == "市" else "町" if kind == "町" else "村" if kind == "村" else "区"
        )
    n = rng.randint(5, 14)
    templates = rng.sample(TEMPLATES, n)
    base_fy = start - rng.choice([1, 1, 2])
    target_fy = end if rng.random() < 0.8 else end - 1
    measures = []
    for pillar, titles, desc, dept_keys, kpis in templates:
        t = rng.choice(titles)
        if rng.random() < 0.06:
            t = rng.choice(LONG_PREFIX) + t
        depts = [dept_names[k] for k in dept_keys[: rng.choice([1, 1, 2, len(dept_keys)])]]
        depts = list(dict.fromkeys(depts))
        gk = []
        if kpis and rng.random() < 0.75:
            for spec in kpis[: rng.choice([1, 1, 1, 2])]:
                ind, unit, b, tg, rate_ok = spec
                baseline = _value(rng, b, unit) if rng.random() < 0.9 else None
                tfy = target_fy if rng.random() < 0.85 else rng.randint(start, end)
                rate = "年間" if rate_ok and rng.random() < 0.4 else ""
                gk.append(
                    GenKpi(
                        ind, unit, baseline, base_fy if baseline else None, _value(rng, tg, unit), tfy, rate
                    )
                )
        phases: dict[int, str] = {}
        run = rng.choice(PHASE_RUNS)
        first = start if rng.random() < 0.8 else rng.randint(start, end)
        yrs = list(range(first, end + 1))
        cut = sorted(rng.sample(range(1, len(yrs)), min(len(run) - 1, len(yrs) - 1))) if len(yrs) > 1 else []
        bounds = [0, *cut, len(yrs)]
        for r in range(len(bounds) - 1):
            for y in yrs[bounds[r] : bounds[r + 1]]:
                phases[y] = run[r]
        if rng.random() < 0.08 and phases:
            y = max(phases)
            phases[y] = phases[y] + "、拡充" if phases[y] != "拡充" else "拡充"
        measures.append(GenMeasure("", t, desc, [pillar], depts, gk, phases, 0))
    subtitle = rng.choice(
        ["", "", "～誰一人取り残さないデジタル社会をめざして～", "～つながる・ひろがる・やさしいまち～"]
    )
    published = f"{start - 1 if rng.random() < 0.7 else start}年{rng.choice([3, 3, 3, 4, 12])}月"
    return rng, town, title, start, end, prev, measures, subtitle, published


def _style(seed: int, layout: str | None, fmt: str | None) -> Style:
    rng = random.Random(f"keikaku-gen-{seed}-style")
    layout = layout or rng.choice(LAYOUTS)
    fmts = LAYOUT_FORMATS[layout]
    fmt = fmt or rng.choices(fmts, weights=[FORMAT_WEIGHT[f] for f in fmts])[0]
    policy_num = rng.choice(POLICY_NUM)
    measure_num = rng.choice(
        [
            m
            for m in MEASURE_NUM
            if not (m.startswith("(") and policy_num.startswith("("))
            and not (m.startswith("（") and policy_num.startswith("（"))
        ]
    )
    syn = {k: rng.choice(v) for k, v in SYNONYMS.items()}
    kpi_style = {
        "labels": rng.choice(["lines", "oneline", "box", "prose"]),
        "proptable": "rows",
        "rowtable": "columns",
        "prose": "prose",
        "gantt": rng.choice(["lines", "oneline", "box"]),
    }[layout]
    sched_style = {
        "labels": rng.choice(["chain", "grid", "yearlines", "chain"]),
        "proptable": rng.choice(["chain", "grid", "yearlines"]),
        "rowtable": "columns",
        "prose": rng.choice(["chain", "sentence"]),
        "gantt": "gantt_end",
    }[layout]
    if rng.random() < 0.05:
        sched_style = "none"
    dept_style = {
        "labels": rng.choice(["label", "label", "title_paren", "sentence"]),
        "proptable": "row",
        "rowtable": "column",
        "prose": rng.choice(["title_paren", "sentence"]),
        "gantt": rng.choice(["label", "title_paren"]),
    }[layout]
    pillar_style = rng.choice(
        ["policy", "article", "name", "none"] + (["matrix", "matrix"] if layout == "rowtable" else [])
    )
    order = ["desc", "dept", "kpi", "sched", "pillar"]
    rest = order[1:]
    rng.shuffle(rest)
    field_order = ["desc", *rest] if rng.random() < 0.8 else rest[:1] + ["desc"] + rest[1:]
    markup = {"md": ["hash", "plain"], "docx": ["styles", "bold"], "html": ["h", "boldp"]}.get(fmt, ["plain"])
    style = Style(
        layout=layout, fmt=fmt, era=rng.choice(ERAS), chapter_num=rng.choice(CHAPTER_NUM), policy_num=policy_num,
        measure_num=measure_num, label_form=rng.choice(LABEL_FORMS), value_newline=rng.random() < 0.15, syn=syn,
        kpi_style=kpi_style, sched_style=sched_style, grid_cells=rng.choice(["words", "words", "marks", "arrows", "span"]),
        dept_style=dept_style, pillar_style=pillar_style, dept_sep=rng.choice(["、", "、", "・", "／"]),
        field_order=field_order, heading_markup=rng.choice(markup), chain_arrow=rng.choice(["→", " → ", "⇒", "　▶　"]),
        toc=rng.random() < 0.5, toc_measures=rng.random() < 0.5, footer=rng.random() < 0.6,
        prev_plan=rng.random() < 0.6, glossary=rng.random() < 0.3, title_row=rng.random() < 0.4,
        gantt_row_label=rng.choice(["key_title", "key_title", "title", "key"]),
    )  # fmt: skip
    if fmt == "pdf" and style.grid_cells == "span" and rng.random() < 0.5:
        style.grid_cells = (
            "bars"  # a Gantt chart drawn as filled cells (drawn after the rest: seeds keep their style)
        )
    return style


def generate(seed: int, *, layout: str | None = None, fmt: str | None = None) -> GenPlan:
    """The plan of one seed (layout and format drawn unless given)."""
    rng, town, title, start, end, prev, measures, subtitle, published = _content(seed)
    style = _style(seed, layout, fmt)
    ends = random.Random(f"keikaku-gen-{seed}-ends")  # its own stream: the other choices stay as they were
    style.field_form = random.Random(f"keikaku-gen-{seed}-forms").choice(FIELD_FORMS)  # likewise
    for m in measures:
        if len(m.phases) > 1 and ends.random() < 0.2:  # a measure that ends before the plan does
            for y in sorted(m.phases)[-ends.randint(1, len(m.phases) - 1) :]:
                del m.phases[y]
    plan = GenPlan(seed, town, title, published, start, end, prev, [], measures, style, subtitle)
    _organise(plan, rng)
    return plan


def _organise(plan: GenPlan, rng: random.Random) -> None:
    """Group measures under policies (by pillar when the layout states pillars by policy), then number."""
    style = plan.style
    ms = plan.measures
    if style.pillar_style == "policy":
        groups: dict[str, list[GenMeasure]] = {}
        for m in sorted(ms, key=lambda m: PILLARS.index(m.pillars[0])):
            groups.setdefault(m.pillars[0], []).append(m)
        titles = [(p, rng.choice(PILLAR_POLICY[p])) for p in groups]
    else:
        k = min(len(ms), rng.choice([2, 3, 3, 4]))
        names = rng.sample(THEME_POLICIES, k)
        groups = {}
        for i, m in enumerate(ms):
            groups.setdefault(names[min(i * k // len(ms), k - 1)], []).append(m)
        titles = [(None, n) for n in groups]
    plan.measures = [m for g in groups.values() for m in g]
    plan.policies = [GenPolicy("", t, p) for p, t in titles]
    for pi, ((_, group)) in enumerate(groups.items()):
        for m in group:
            m.policy = pi
    renumber(plan)


def renumber(plan: GenPlan) -> None:
    """Keys as written and which pillars the document states, from the style."""
    s = plan.style
    chapter = 4
    g = 0
    for pi, p in enumerate(plan.policies):
        p.key = number(s.policy_num, pi + 1)
        mi = 0
        for m in plan.measures:
            if m.policy != pi:
                continue
            g += 1
            mi += 1
            m.key = number(s.measure_num, mi, p=pi + 1, g=g, c=chapter)
            if s.pillar_style == "policy":
                m.pillars_stated = True
            elif s.pillar_style in ("article", "name"):
                m.pillars_stated = m.pillars[0] != "other" or s.pillar_style == "name"
            elif s.pillar_style == "matrix":
                m.pillars_stated = m.pillars[0] != "other"
            else:
                m.pillars_stated = False


def restyle(plan: GenPlan, **changes) -> GenPlan:
    """The same plan written in another style (keys renumbered); the original is not changed."""
    new = dataclasses.replace(
        plan,
        style=dataclasses.replace(plan.style, **changes),
        policies=[dataclasses.replace(p) for p in plan.policies],
        measures=[dataclasses.replace(m) for m in plan.measures],
    )
    renumber(new)
    return new


# ---------------------------------------------------------------------------------------------
# writing values

ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
KATA = "アイウエオカキクケコサシスセソタチツテト"
FW = str.maketrans("0123456789", "０１２３４５６７８９")


def fw(n: int | str) -> str:
    return str(n).translate(FW)


def number(pattern: str, n: int, *, p: int = 1, g: int = 1, c: int = 1) -> str:
    return pattern.format(
        n=n, R=ROMAN[n - 1], F=fw(n), p=p, m=n, g=g, c=c, Fm=fw(n), circ=CIRCLED[n - 1], kata=KATA[n - 1]
    )


def fy(year: int, era: str, *, suffix: bool = True) -> str:
    """A fiscal year as the style writes it: 令和7年度, 令和７年度, R7, 2025年度, ２０２５年度, 2025（令和7）年度."""
    r = year - 2018
    rw = "元" if r == 1 else str(r)
    d = "年度" if suffix else ""
    if year < 2019:  # 平成 (a previous plan's period)
        h = year - 1988
        return {"R": f"H{h}{d}", "west": f"{year}{d}", "west_fw": f"{fw(year)}{d}"}.get(
            era, f"平成{fw(h) if era == 'reiwa_fw' else h}{d}"
        )
    if era == "reiwa":
        return f"令和{rw}{d}"
    if era == "reiwa_fw":
        return f"令和{fw(rw)}{d}"
    if era == "R":
        return f"R{r}{d}"
    if era == "west":
        return f"{year}{d}"
    if era == "west_fw":
        return f"{fw(year)}{d}"
    return f"{year}（令和{rw}）{d}"


def fy_range(a: int, b: int, era: str) -> str:
    if a == b:
        return fy(a, era)
    r1, r2 = a - 2018, b - 2018
    if era == "reiwa":
        return f"令和{r1}～{r2}年度"
    if era == "reiwa_fw":
        return f"令和{fw(r1)}～{fw(r2)}年度"
    if era == "R":
        return f"R{r1}～R{r2}"
    if era == "west":
        return f"{a}～{b}年度"
    if era == "west_fw":
        return f"{fw(a)}～{fw(b)}年度"
    return f"{fy(a, era)}～{fy(b, era)}"


def year_header(year: int, era: str) -> str:
    """A year column's header."""
    return {
        "R": f"R{year - 2018}",
        "west": f"{year}年度",
        "west_fw": f"{fw(year)}年度",
        "both": f"{year}年度",
    }.get(era, fy(year, era))


def label(style: Style, kind: str, value: str = "") -> str:
    """A label line: 【担当課】情報政策課, 担当課：情報政策課, ＜担当課＞… (value on the next line if so styled)."""
    lab = style.label_form.format(style.syn.get(kind, kind))
    if not value:
        return lab
    return f"{lab}\n{value}" if style.value_newline else f"{lab}{value}"


def field_form(style: Style) -> str:
    """How this document writes a field with its value (label lines where its format has no such form)."""
    return style.field_form if style.fmt in FIELD_FORM_FORMATS[style.field_form] else "label"


def label_form_only(style: Style, kind: str) -> str:
    """A label standing alone before a box or a list: 【成果指標】, ＜スケジュール＞, ■工程."""
    return style.label_form.format(style.syn.get(kind, kind)).rstrip("：:　 ")


def runs(phases: dict[int, str]) -> list[tuple[int, int, str]]:
    """Consecutive fiscal years with the same phase: [(first, last, phase)]."""
    out: list[tuple[int, int, str]] = []
    for y in sorted(phases):
        if out and out[-1][2] == phases[y] and out[-1][1] == y - 1:
            out[-1] = (out[-1][0], y, phases[y])
        else:
            out.append((y, y, phases[y]))
    return out


def schedule(plan: GenPlan, m: GenMeasure) -> dict[int, str]:
    """The schedule as the document writes it (fiscal year → written phase)."""
    s = plan.style
    if s.sched_style == "none":
        return {}
    grid = s.sched_style in ("grid", "gantt_end", "columns")
    if grid and s.grid_cells == "marks":
        return {y: "○" if p in PREP else "●" for y, p in m.phases.items()}
    # words, merged cells over a run, or "→" cells continuing the word before them (the project's
    # reading, as in its hand-made fixtures): each year takes the phase word
    return dict(m.phases)


def grid_written(plan: GenPlan, m: GenMeasure) -> dict[int, str]:
    """What each year cell of a grid shows (→ where an arrow continues the run)."""
    if plan.style.grid_cells != "arrows":
        return schedule(plan, m)
    out = {}
    for a, b, p in runs(m.phases):
        for y in range(a, b + 1):
            out[y] = p if y == a else "→"
    return out


def chain(plan: GenPlan, m: GenMeasure) -> str:
    """令和8年度 検討 → 令和9～10年度 実施."""
    s = plan.style
    parts = [f"{fy_range(a, b, s.era)} {p}" for a, b, p in runs(m.phases)]
    return s.chain_arrow.join(parts)


def sentence_schedule(plan: GenPlan, m: GenMeasure) -> str:
    """令和7年度に検討を行い、令和8年度から令和9年度にかけて導入を行い、令和10年度から運用を行います。"""
    era = plan.style.era if plan.style.era != "R" else "reiwa"
    rs = runs(m.phases)
    parts = []
    for i, (a, b, p) in enumerate(rs):
        last = i == len(rs) - 1
        verb = "を行います。" if last else "を行い、"
        if a == b and not (last and b == plan.end_fy and a != plan.end_fy):
            parts.append(f"{fy(a, era)}に{p}{verb}")
        elif last and b == plan.end_fy:
            parts.append(f"{fy(a, era)}から{p}{verb}")
        else:
            parts.append(f"{fy(a, era)}から{fy(b, era)}にかけて{p}{verb}")
    return "".join(parts)


def kpi_oneline(plan: GenPlan, k: GenKpi) -> str:
    """オンライン申請件数　250件（令和6年度）→ 800件（令和9年度）."""
    era = plan.style.era
    base = f"{k.baseline_text}（{fy(k.baseline_fy, era)}）" if k.baseline else "－"
    return f"{k.indicator}　{base} → {k.target_text}（{fy(k.target_fy, era)}）"


def kpi_sentence(plan: GenPlan, k: GenKpi, variant: int) -> str:
    """…を令和9年度までに年間800件に増やします（現状：令和6年度 250件）。"""
    era = plan.style.era
    now = f"（現状：{fy(k.baseline_fy, era)} {k.baseline_text}）" if k.baseline else ""
    if variant % 2 == 0 or not k.baseline:
        return f"{k.indicator}を{fy(k.target_fy, era)}までに{k.target_text}にすることを目標とします{now}。"
    return f"{fy(k.target_fy, era)}までに{k.indicator}{k.target_text}を目指します（{fy(k.baseline_fy, era)}実績：{k.baseline_text}）。"


def depts(style: Style, names: list[str]) -> str:
    return style.dept_sep.join(names)


def pillar_field(style: Style, m: GenMeasure, rng_pick: int = 0) -> tuple[str, str] | None:
    """(kind, value) of the measure's pillar field — None when the style states no pillar per measure."""
    p = m.pillars[0]
    if not m.pillars_stated:
        return None
    if style.pillar_style == "article" and p in ARTICLE:
        return "pillar_article", f"官民データ活用推進基本法{ARTICLE[p]}" if rng_pick % 3 == 0 else ARTICLE[p]
    if style.pillar_style == "name":
        names = PILLAR_NAMES[p]
        return "pillar_name", names[rng_pick % len(names)]
    return None


def pillar_text(style: Style, m: GenMeasure, rng_pick: int = 0) -> str:
    """関連条項：第11条 / 基本法の柱：オープンデータ — '' when the style states no pillar per measure."""
    f = pillar_field(style, m, rng_pick)
    return label(style, *f) if f else ""
