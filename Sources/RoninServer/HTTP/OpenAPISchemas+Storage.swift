/// JSON Schemas of storage: tiers, policies, manual moves, the deletions log and history
/// (docs/api.md, Storage).
extension OpenAPISchemas {
    static var nullableNumber: Schema { ["type": ["number", "null"]] }
    static var nullableInteger: Schema { ["type": ["integer", "null"]] }
    static var limits: Schema { object(["max_age_seconds": nullableNumber, "max_bytes": nullableInteger, "min_age_seconds": nullableNumber]) }
    static var tierName: Schema { ["type": "string", "enum": ["hot", "warm", "cold"]] }
    static var policyValue: Schema { ["type": ["string", "number", "null"], "description": "A duration (90s, 12h, 7d) or GB (0.5); null inherits"] }

    static var storage: [String: Schema] {
        let documentKeys = ["retention_max_age", "retention_max_gb", "hot_max_age", "hot_max_gb", "hot_min_age", "warm_max_age", "warm_max_gb",
                            "min_free_gb"]
        let document = object(Dictionary(uniqueKeysWithValues: documentKeys.map { ($0, policyValue) }))
        let cameraDocument = object(["retention_max_age": policyValue, "retention_max_gb": policyValue,
                                     "priority": ["type": ["integer", "null"], "minimum": 0, "maximum": 100]])
        return [
            "StorageStatus": object([
                "critical": boolean, "shortfall_bytes": integer, "retention": limits,
                "tiers": array(object([
                    "tier": tierName, "configured": boolean, "location": ["type": ["string", "null"], "description": "Admins only"],
                    "reachable": boolean, "error": nullableString, "capacity_bytes": nullableInteger, "free_bytes": nullableInteger,
                    "required_free_bytes": nullableInteger, "used_bytes": integer, "recordings": integer, "oldest": nullableDateTime,
                    "newest": nullableDateTime, "policy": limits, "backlog": object(["jobs": integer, "bytes": integer]),
                    "days_held": nullableNumber, "days_expected": nullableNumber,
                ])),
                "cameras": array(object(["camera_id": uuid, "name": string, "bytes_per_second": ["type": "number"], "priority": integer,
                                         "retention": limits, "recording_paused": boolean])),
                "last_check": object(["at": nullableDateTime, "planned_deletions": integer, "planned_moves": integer, "queued": integer,
                                      "planning_ms": ["type": "number"], "error": nullableString]),
            ]),
            "StoragePolicyDocument": document,
            "StoragePolicy": object(["document": document, "effective": limits, "hot": limits, "warm": limits, "min_free_bytes": integer,
                                     "cameras": array(object(["camera_id": uuid, "document": cameraDocument]))]),
            "CameraStoragePolicy": cameraDocument,
            "MigrateRequest": object(["camera_ids": array(uuid), "before": dateTime, "to_tier": ["type": "string", "enum": ["warm", "cold"]]],
                                     required: ["camera_ids", "before", "to_tier"]),
            "MigrateResult": object(["recordings": integer, "bytes": integer, "queued": integer, "already_queued": integer]),
            "StorageDeletionPage": object([
                "deletions": array(object(["id": uuid, "recording_id": uuid, "camera_id": uuid, "start": dateTime, "end": dateTime,
                                           "size_bytes": integer, "tier": tierName, "path": ["type": ["string", "null"], "description": "Admins only"],
                                           "reason": ["type": "string", "enum": ["age", "size", "free_space", "tier_age", "tier_size", "manual"]],
                                           "deleted_at": dateTime])),
                "total": integer, "next_cursor": nullableString,
            ]),
            "StorageHistory": object(["samples": array(object(["at": dateTime, "tier": tierName, "used_bytes": integer, "recordings": integer,
                                                               "free_bytes": nullableInteger, "capacity_bytes": nullableInteger]))]),
        ]
    }
}
