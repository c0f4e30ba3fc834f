/// The projections' change marker, `{_id: "projections", version, changed_at}` in
/// `projection_changes`: bumped after projections changed, so readers (the web dashboard) learn of
/// changes with one cheap read. MongoProjectionStore writes the same document.
public struct ProjectionChangeMarker: Sendable {
    private let database: MongoDatabase

    public init(database: MongoDatabase) {
        self.database = database
    }

    /// `$inc` rather than a value of our own: concurrent writers each change the version.
    public func markChanged() async throws(StoreError) {
        var update = BSONUpdate()
        update.inc("version", 1)
        update.currentDate("changed_at")
        let collection = Catalogue.projectionChanges.name
        try await database.bulkWrite(collection, [.updateOne(filter: ["_id": "projections"], update: update.document, upsert: true)])
            .check(collection)
    }
}
