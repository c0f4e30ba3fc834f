import Foundation
import Projections
import ZoomModel

/// A school term of Zoom meetings as attendance facts, the way Zoom reports them: recurring class
/// meetings (one meeting id, one instance a day), class-start storms on the hour, breakout-room
/// moves (a leave and a join in the same second, same `participant_uuid`), reconnects (a new
/// `participant_uuid` seconds later), network drops (most come back), apps closed, collective drops
/// in one class (a room's Wi-Fi) and, on a few bad days, platform-wide drops across many classes at
/// once. Students sit in several classes, so a person has a term across meetings. Deterministic
/// for a seed. Names and topics include CJK, right-to-left and hostile text.
struct TermSample {
    struct Options {
        var days = 30
        var meetingsPerDay = 300
        var people = 10...40
        var seed: UInt64 = 15
        var timeZone = TimeZone.gmt
        /// Evening classes, on now whatever the hour, so a newcomer sees live meetings.
        var live = 20
        var now = Date()
    }

    struct Room {
        let meetingID: String
        let topic: String
        let roster: [String]
        /// Seconds after local midnight.
        let start: Int
        let minutes: Int
        let evening: Bool
    }

    struct Instance {
        let meetingID: String
        let uuid: String
        let topic: String
        let start: Int64
        let end: Int64?
    }

    let options: Options
    let rooms: [Room]
    /// Days (local midnight, ms) with a platform-wide incident, and its minute.
    let badMoments: [Int64]
    /// People whose connection is poor all term.
    let flaky: Set<String>

    init(_ options: Options) {
        self.options = options
        var random = SeededRandom(seed: options.seed)
        let poolSize = max(options.people.upperBound, options.meetingsPerDay * (options.people.lowerBound + options.people.upperBound) / 2 / 5)
        var pool: [String] = [], seen = Set<String>()
        while pool.count < poolSize {
            var name = Self.firsts[random.next(Self.firsts.count)] + " " + Self.lasts[random.next(Self.lasts.count)]
            if seen.contains(name) { name += " \(pool.count)" }
            seen.insert(name)
            pool.append(name)
        }
        // A few names that test the pages' escaping and layout.
        pool[0] = "<script>alert('term')</script>"
        if pool.count > 1 { pool[1] = "Maximiliane-Josephine Featherstonehaugh-Wolfeschlegelsteinhausenberger" }
        flaky = Set(pool.filter { _ in random.next(100) < 4 })
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = options.timeZone
        // Evening (or online) classes on now, whatever the hour: they start a few minutes before
        // now's time of day, every day.
        let sinceMidnight = Int(options.now.timeIntervalSince(calendar.startOfDay(for: options.now)))
        // Nobody is in two classes at once: a student's classes are at different hours.
        var busy = [Set<Int>](repeating: [], count: pool.count)
        func roster(_ size: Int, hours: Set<Int>) -> [String] {
            var chosen = Set<Int>()
            for _ in 0..<(size * 20) where chosen.count < size {
                let student = random.next(pool.count)
                if busy[student].isDisjoint(with: hours) { chosen.insert(student) }
            }
            for student in chosen { busy[student].formUnion(hours) }
            return chosen.map { pool[$0] }.sorted()
        }
        var rooms: [Room] = []
        for index in 0..<(options.meetingsPerDay + options.live) {
            let evening = index >= options.meetingsPerDay
            let start = evening ? max(0, sinceMidnight - (5 + random.next(35)) * 60) : (8 + random.next(9)) * 3600
            let size = options.people.lowerBound + random.next(options.people.count)
            let subject = Self.subjects[index % Self.subjects.count]
            rooms.append(Room(meetingID: String(88_000_000_000 + index),
                              topic: evening ? "\(subject) — evening class \(index - options.meetingsPerDay + 1)"
                                  : "\(subject) — group \(index / Self.subjects.count + 1)",
                              roster: roster(size, hours: [start / 3600, (start + 3500) / 3600]), start: start,
                              minutes: [45, 50, 55][random.next(3)], evening: evening))
        }
        self.rooms = rooms
        let today = calendar.startOfDay(for: options.now)
        // Yesterday (or the last weekday before today) and one day in the middle of the term.
        var bad: [Int64] = []
        var day = calendar.date(byAdding: .day, value: -1, to: today)!
        while calendar.isDateInWeekend(day) { day = calendar.date(byAdding: .day, value: -1, to: day)! }
        // At the hour most classes are on, twenty minutes in: many meetings lose people at once.
        let hours = Dictionary(grouping: rooms.filter { !$0.evening }, by: { $0.start / 3600 }).mapValues(\.count)
        let busiest = hours.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 10
        for candidate in [day, calendar.date(byAdding: .day, value: -options.days / 2, to: today)!] {
            bad.append(Int64(candidate.timeIntervalSince1970 * 1000) + Int64(busiest * 3_600_000 + 20 * 60_000))
        }
        badMoments = options.days > 2 ? bad : []
    }

    /// Every instance of the term, in time order: the rooms' daily classes (fewer at weekends),
    /// the evening classes' among them on now.
    func instances() -> [(room: Int, instance: Instance)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = options.timeZone
        var random = SeededRandom(seed: options.seed &+ 1)
        let now = Int64(options.now.timeIntervalSince1970 * 1000)
        let today = calendar.startOfDay(for: options.now)
        var result: [(Int, Instance)] = []
        for offset in stride(from: options.days - 1, through: 0, by: -1) {
            let day = calendar.date(byAdding: .day, value: -offset, to: today)!
            let weekend = calendar.isDateInWeekend(day)
            let midnight = Int64(day.timeIntervalSince1970 * 1000)
            for (index, room) in rooms.enumerated() where !weekend || random.next(10) == 0 {
                let start = midnight + Int64(room.start) * 1000 + Int64(random.next(room.evening ? 20 : 120)) * 1000
                guard start < now else { continue }
                let end = start + Int64(room.minutes * 60 + random.next(180)) * 1000
                result.append((index, Instance(meetingID: room.meetingID, uuid: "term-\(room.meetingID)-\(Self.day(day, calendar))",
                                               topic: room.topic, start: start, end: end <= now ? end : nil)))
            }
        }
        return result.sorted { ($0.1.start, $0.1.uuid) < ($1.1.start, $1.1.uuid) }
    }

    static func day(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }

    /// The joins, leaves and room moves of one instance, up to now.
    func facts(_ instance: Instance, room: Room) -> [AttendanceFact] {
        var random = SeededRandom(seed: options.seed ^ UInt64(truncatingIfNeeded: instance.uuid.hashValueStable))
        let now = Int64(options.now.timeIntervalSince1970 * 1000)
        var facts: [AttendanceFact] = []
        let end = instance.end ?? (now + 3_600_000)
        let breakout = random.next(10) < 3 ? (start: instance.start + 15 * 60_000, end: instance.start + 30 * 60_000) : nil
        let collective = random.next(50) == 0 ? instance.start + Int64(10 + random.next(25)) * 60_000 : nil
        let platform = badMoments.first { $0 >= instance.start && $0 < end && random.next(10) < 8 }
        func add(_ name: String, _ uuid: String, _ kind: AttendanceFact.Kind, _ at: Int64, _ reason: String? = nil, room: String? = nil) {
            guard at <= now else { return }
            facts.append(AttendanceFact(id: "\(instance.uuid)|\(uuid)|\(kind.rawValue)|\(at)", meetingID: instance.meetingID,
                                        meetingUUID: instance.uuid, attendee: uuid, participantUUID: uuid, name: name, kind: kind,
                                        at: BSONDate(milliseconds: at), leaveReason: reason, room: room, topic: instance.topic))
        }
        for (seat, name) in room.roster.enumerated() where random.next(100) < 92 {
            var connection = 0
            var uuid: String { "\(instance.uuid)-\(seat)-\(connection)" }
            let at = instance.start + Int64(random.next(random.next(20) == 0 ? 1200 : 180)) * 1000
            add(name, uuid, .join, at)
            // Disconnections: who, when, and whether and how fast they come back.
            var drops: [(at: Int64, reason: String, back: Int64?)] = []
            let poor = flaky.contains(name)
            if random.next(100) < (poor ? 30 : 3) {
                drops.append((at + Int64(60 + random.next(1800)) * 1000, "left the meeting", Int64(5 + random.next(35)) * 1000))
            }
            if random.next(1000) < (poor ? 250 : 15) {
                drops.append((at + Int64(60 + random.next(2400)) * 1000, "\(name) got disconnected from the meeting. Reason : Network connection error.",
                              random.next(10) < 7 ? Int64(30 + random.next(540)) * 1000 : nil))
            }
            if random.next(100) == 0 {
                drops.append((at + Int64(120 + random.next(1800)) * 1000, "\(name) got disconnected from the meeting. Reason : Client Close.",
                              random.next(10) < 3 ? Int64(60 + random.next(300)) * 1000 : nil))
            }
            if let collective, random.next(10) < 4 { drops.append((collective + Int64(random.next(30)) * 1000, "Network connection error.", Int64(20 + random.next(200)) * 1000)) }
            if let platform, random.next(10) < 6 {
                drops.append((platform + Int64(random.next(40)) * 1000, "\(name) got disconnected from the meeting. Reason : Network connection error.",
                              random.next(10) < 8 ? Int64(30 + random.next(240)) * 1000 : nil))
            }
            // Drops and the breakout room's two moves, in time order; a drop inside the breakout is left out.
            var moments: [(at: Int64, drop: Int?)] = drops.indices.map { (drops[$0].at, $0) }.filter { moment in
                moment.at > at && moment.at < end - 60_000
                    && !(breakout.map { moment.at >= $0.start - 5000 && moment.at <= $0.end + 5000 } ?? false)
            }
            if let breakout { moments += [(breakout.start, nil), (breakout.end, nil)] }
            var gone = false, back = at, inBreakout: String?
            for moment in moments.sorted(by: { $0.at < $1.at }) {
                if let index = moment.drop {
                    guard back <= moment.at else { continue }
                    add(name, uuid, .leave, moment.at, drops[index].reason)
                    guard let delay = drops[index].back, moment.at + delay < end - 10_000 else { gone = true; break }
                    connection += 1
                    back = moment.at + delay
                    add(name, uuid, .join, back)
                } else if back <= moment.at {
                    // A move: a leave and a join in the same second, same participant_uuid.
                    let entering = inBreakout == nil && moment.at == breakout!.start
                    guard entering || inBreakout != nil else { continue }
                    add(name, uuid, .leave, moment.at, entering ? "\(name) left the meeting to join breakout room."
                        : "\(name) left the meeting leave breakout room to join main meeting.")
                    add(name, uuid, .join, moment.at)
                    let breakoutRoom = inBreakout ?? "\(instance.uuid)-breakout-\(seat % 5)"
                    add(name, uuid, entering ? .roomJoin : .roomLeave, moment.at, room: breakoutRoom)
                    inBreakout = entering ? breakoutRoom : nil
                }
            }
            if gone { continue }
            if let ended = instance.end {
                let early = random.next(20) == 0
                add(name, uuid, .leave, early ? max(back + 1000, ended - Int64(random.next(600)) * 1000) : ended + Int64(random.next(20)) * 1000,
                    early || random.next(2) == 0 ? "\(name) left the meeting." : "Host ended the meeting.")
            }
        }
        return facts
    }

    static let firsts = ["Ada", "Alan", "Grace", "Katherine", "Edsger", "Barbara", "Marie", "Rosalind", "Dorothy", "Lise", "Emmy",
                         "Richard", "Hedy", "Margaret", "Tim", "Linus", "Yuki", "Haruto", "美咲", "陽翔", "王芳", "李伟", "Min-jun",
                         "Ji-woo", "محمد", "فاطمة", "علي", "נועה", "דוד", "Zoë", "José", "Łukasz", "Søren", "Chiara", "Amara",
                         "Kwame", "Priya", "Arjun", "Olga", "Nguyễn", "Aoife", "Siobhán", "Mateo", "Lucía", "Émile", "Björn"]
    static let lasts = ["Lovelace", "Turing", "Hopper", "Johnson", "Dijkstra", "Liskov", "Curie", "Franklin", "Hodgkin", "Meitner",
                        "Noether", "Feynman", "Lamarr", "Hamilton", "Berners-Lee", "Tanaka", "Sato", "山田", "佐藤", "张", "陈",
                        "Kim", "Park", "الحسن", "العلي", "כהן", "לוי", "Müller", "García", "Kowalski", "Kierkegaard", "Rossi",
                        "Okafor", "Mensah", "Sharma", "Patel", "Ivanova", "Văn An", "Ó Briain", "Fernández", "Dubois", "Lindqvist"]
    static let subjects = ["Biology", "Chemistry", "Physics", "Mathematics", "History", "Geography", "English literature", "French",
                           "数学 二年级", "العربية للمبتدئين", "עברית מתקדמת", "Computer science", "Music", "Art & design",
                           "Physical education (theory)", "Economics", "Philosophy: ethics, logic and the theory of knowledge — seminar"]
}

/// SplitMix64: the same term for the same seed, on every machine.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<bound.
    mutating func next(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}

extension String {
    /// FNV-1a: `hashValue` differs between runs.
    var hashValueStable: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
