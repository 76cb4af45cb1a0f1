import Foundation
import NIOSSL
import RoninCore

/// HTTPS from RONIN_TLS_CERT_PATH and RONIN_TLS_KEY_PATH (PEM): a certificate chain and its
/// private key, read once at start-up. Unreadable or mismatched files stop the server with a
/// message naming the setting, before it listens.
struct TLSSetup {
    let certificatePath: String
    let keyPath: String

    /// nil when TLS is not configured.
    init?(settings: Settings) {
        guard let certificate = settings.tlsCertificatePath, let key = settings.tlsKeyPath else { return nil }
        certificatePath = certificate
        keyPath = key
    }

    func configuration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw Settings.Problem(name: "RONIN_TLS_CERT_PATH", message: "cannot read a PEM certificate from \(certificatePath): \(error)")
        }
        guard !chain.isEmpty else {
            throw Settings.Problem(name: "RONIN_TLS_CERT_PATH", message: "\(certificatePath) holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw Settings.Problem(name: "RONIN_TLS_KEY_PATH", message: "cannot read a PEM private key from \(keyPath)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
