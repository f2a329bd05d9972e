/// The word lists behind `module.faker` (written for eg: common US first and last names, made-up
/// company words, real top-level domains and browser/OS version strings).
enum FakerWords {
    static let firstNames = [
        "aaron", "abigail", "adam", "alice", "amanda", "amber", "andrea", "andrew", "angela", "anna", "anthony", "ashley",
        "benjamin", "beth", "brandon", "brenda", "brian", "bruce", "carl", "carol", "catherine", "charles", "chris", "cindy",
        "craig", "cynthia", "daniel", "david", "deborah", "dennis", "diana", "donald", "donna", "dorothy", "douglas", "dylan",
        "edward", "elaine", "elizabeth", "emily", "emma", "eric", "ethan", "evelyn", "frank", "gary", "george", "grace",
        "gregory", "hannah", "harold", "heather", "helen", "henry", "isabel", "jack", "jacob", "james", "janet", "jason",
        "jeffrey", "jennifer", "jessica", "joan", "john", "jonathan", "joseph", "joshua", "joyce", "julia", "justin", "karen",
        "katherine", "keith", "kelly", "kenneth", "kevin", "kimberly", "kyle", "larry", "laura", "lauren", "linda", "lisa",
        "logan", "louis", "madison", "margaret", "maria", "mark", "martha", "mary", "matthew", "megan", "melissa", "michael",
        "michelle", "nancy", "nathan", "nicholas", "nicole", "noah", "olivia", "pamela", "patrick", "paul", "peter", "rachel",
        "raymond", "rebecca", "richard", "robert", "roger", "ronald", "russell", "ruth", "ryan", "samantha", "samuel", "sandra",
        "sarah", "scott", "sean", "sharon", "shirley", "sophia", "stephanie", "stephen", "steven", "susan", "teresa", "thomas",
        "timothy", "tyler", "victoria", "vincent", "walter", "wayne", "william", "zachary",
    ]
    static let lastNames = [
        "adams", "allen", "alvarez", "anderson", "bailey", "baker", "barnes", "bell", "bennett", "brooks", "brown", "butler",
        "campbell", "carter", "castillo", "chavez", "clark", "collins", "cook", "cooper", "cox", "cruz", "davis", "diaz",
        "edwards", "evans", "fisher", "flores", "foster", "garcia", "gomez", "gonzalez", "gray", "green", "griffin", "hall",
        "harris", "hayes", "henderson", "hernandez", "hill", "howard", "hughes", "jackson", "james", "jenkins", "johnson", "jones",
        "kelly", "kim", "king", "lee", "lewis", "long", "lopez", "martin", "martinez", "miller", "mitchell", "moore",
        "morales", "morgan", "morris", "murphy", "myers", "nelson", "nguyen", "ortiz", "parker", "patel", "perez", "perry",
        "peterson", "phillips", "powell", "price", "ramirez", "reed", "reyes", "richardson", "rivera", "roberts", "robinson", "rodriguez",
        "rogers", "ross", "russell", "sanchez", "sanders", "scott", "smith", "stewart", "sullivan", "taylor", "thomas", "thompson",
        "torres", "turner", "walker", "ward", "watson", "white", "williams", "wilson", "wood", "wright", "young",
    ]
    static let companyWords = [
        "acme", "apex", "arbor", "atlas", "beacon", "bluepeak", "brightline", "cascade", "cedar", "cobalt", "corner", "crest",
        "delta", "ember", "evergreen", "falcon", "fieldstone", "frontier", "granite", "harbor", "highland", "horizon", "ironwood", "juniper",
        "keystone", "lakeside", "lumen", "maple", "meridian", "northwind", "oakridge", "orbit", "pinnacle", "pioneer", "quarry", "redwood",
        "ridge", "riverbend", "sable", "silverline", "summit", "sunrise", "tidewater", "trident", "union", "vanguard", "vertex", "willow",
    ]
    static let companySuffixes = ["Inc", "LLC", "Group", "Ltd", "and Sons", "PLC", "Partners", "Holdings"]
    static let tlds = ["com", "com", "com", "net", "org", "info", "biz", "io"]
    static let freeMail = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]
    static let hostPrefixes = ["db", "srv", "desktop", "laptop", "lt", "email", "web", "app", "mail", "vpn"]
    static let words = [
        "account", "action", "agent", "answer", "area", "audit", "balance", "board", "branch", "budget", "cache", "center",
        "change", "channel", "client", "cloud", "code", "control", "data", "design", "device", "digital", "domain", "driver",
        "energy", "event", "factor", "field", "file", "focus", "format", "frame", "future", "global", "group", "growth",
        "health", "image", "index", "input", "level", "light", "local", "market", "media", "method", "model", "network",
        "office", "option", "order", "output", "policy", "portal", "power", "process", "product", "project", "quality", "record",
        "report", "result", "route", "sample", "season", "secure", "server", "service", "signal", "source", "space", "stage",
        "status", "storage", "stream", "system", "table", "target", "team", "theory", "track", "value", "version", "window",
    ]
    static let fileExtensions = ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "jpg", "png", "zip", "json", "html", "mp4"]
    static let mimeTypes = ["application/pdf", "application/json", "application/zip", "text/plain", "text/csv", "text/html",
                            "image/png", "image/jpeg", "video/mp4", "application/octet-stream"]
    static let cities = ["Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview", "Salem", "Madison",
                         "Georgetown", "Arlington", "Ashland", "Dover", "Oxford", "Jackson", "Milton", "Newport", "Burlington"]
    static let streetSuffixes = ["Street", "Avenue", "Road", "Lane", "Drive", "Court", "Place", "Way", "Boulevard"]
    static let states = ["AL", "AZ", "CA", "CO", "FL", "GA", "IL", "MA", "MI", "MN", "NC", "NJ", "NY", "OH", "OR", "PA", "TX", "VA", "WA", "WI"]
    static let countries = [("United States", "US"), ("Canada", "CA"), ("United Kingdom", "GB"), ("Germany", "DE"), ("France", "FR"),
                            ("Japan", "JP"), ("Australia", "AU"), ("Brazil", "BR"), ("India", "IN"), ("Netherlands", "NL"),
                            ("Spain", "ES"), ("Italy", "IT"), ("Sweden", "SE"), ("Mexico", "MX"), ("Singapore", "SG")]
    static let jobs = ["Software engineer", "Accountant", "Data analyst", "Nurse", "Teacher", "Sales manager", "Network administrator",
                       "Graphic designer", "Project manager", "Security analyst", "Pharmacist", "Civil engineer", "HR specialist"]
    static let windows = ["Windows NT 10.0; Win64; x64", "Windows NT 10.0; WOW64", "Windows NT 6.1; Win64; x64", "Windows NT 6.3; Win64; x64"]
    static let macs = ["Macintosh; Intel Mac OS X 10_15_7", "Macintosh; Intel Mac OS X 13_6", "Macintosh; Intel Mac OS X 14_4_1"]
    static let linuxes = ["X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64"]
    static let androids = ["Linux; Android 12; SM-G991B", "Linux; Android 13; Pixel 7", "Linux; Android 14; SM-S918B", "Linux; Android 11; moto g(9)"]
    static let iOSVersions = ["15_8", "16_7", "17_4", "17_5"]
}
