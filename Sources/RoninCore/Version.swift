/// The product version reported by `/api/health` and `ronin --version`.
public enum RoninVersion {
    public static let current = "0.1.0"
}
