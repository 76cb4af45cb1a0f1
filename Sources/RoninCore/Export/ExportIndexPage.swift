import Foundation

/// The export's `index.html`: a plain page that plays the footage straight from the folder in any
/// browser (opened as a file, no server, nothing fetched from elsewhere): the cameras, a `<video>`
/// per file with its local times, and the events with their snapshots. A few lines of inline
/// script let an event's "Play" button seek the camera's video to it; everything else is static.
///
/// Made from the manifest (without the page's own entry), so the same export gives the same page.
/// Every text is HTML-escaped and every link percent-encoded per path component.
public enum ExportIndexPage {
    public static let fileName = "index.html"

    public static func html(_ manifest: ExportManifest) -> String {
        let zone = TimeZone(identifier: manifest.timeZone) ?? TimeZone(identifier: "UTC")!
        let cameraNames = Dictionary(manifest.cameras.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let videos = manifest.files.filter { $0.kind == .video }
        var body = ""
        body += "<header><h1>Ronin NVR export</h1>\n"
        body += "<p data-testid=\"export-range\">\(escape(local(manifest.range.start, zone))) to \(escape(local(manifest.range.end, zone))) "
            + "(\(escape(manifest.timeZone)))</p>\n"
        body += "<p class=\"quiet\">Exported \(escape(local(manifest.createdAt, zone))) by Ronin NVR \(escape(manifest.nvrVersion)); export "
            + "\(escape(manifest.exportID.uuidString.lowercased())). Check the files with <code>sha256sum -c SHA256SUMS</code> or "
            + "<code>ronin verify-export</code>.</p></header>\n"
        body += "<nav data-testid=\"export-cameras\"><h2>Cameras</h2><ul>\n"
        for camera in manifest.cameras {
            let count = videos.filter { $0.cameraID == camera.id }.count
            body += "<li><a href=\"#camera-\(camera.id.uuidString.lowercased())\">\(escape(camera.name))</a> "
                + "<span class=\"quiet\">\(count) video\(count == 1 ? "" : "s")</span></li>\n"
        }
        body += "<li><a href=\"#events\">Events</a> <span class=\"quiet\">\(manifest.events.count)</span></li>\n</ul></nav>\n<main>\n"
        for camera in manifest.cameras {
            body += "<section id=\"camera-\(camera.id.uuidString.lowercased())\" data-testid=\"export-camera\" "
                + "data-camera-name=\"\(escape(camera.name))\">\n<h2>\(escape(camera.name))</h2>\n"
            let own = videos.filter { $0.cameraID == camera.id }
            if own.isEmpty { body += "<p class=\"quiet\">No footage in the range.</p>\n" }
            body += "<div class=\"clips\">\n"
            for video in own {
                let start = video.start.map { local($0, zone) } ?? ""
                body += "<figure data-testid=\"export-clip\"><figcaption><strong>\(escape(start)) to \(escape(clock(video.end, zone)))</strong><br>"
                    + "<a href=\"\(link(video.path))\" download>\(escape(name(of: video.path)))</a> "
                    + "<span class=\"quiet\">\(megabytes(video.size))</span></figcaption>\n"
                body += "<video data-testid=\"export-video\" controls preload=\"metadata\" src=\"\(link(video.path))\" "
                    + "data-camera-id=\"\(camera.id.uuidString.lowercased())\" data-start=\"\(milliseconds(video.start))\" "
                    + "data-end=\"\(milliseconds(video.end))\"></video></figure>\n"
            }
            body += "</div></section>\n"
        }
        body += "<section id=\"events\"><h2>Events</h2>\n"
        if manifest.events.isEmpty { body += "<p class=\"quiet\">No events in the range.</p>\n" }
        body += "<ol class=\"events\" data-testid=\"export-events\">\n"
        for event in manifest.events {
            let camera = cameraNames[event.cameraID] ?? event.cameraID.uuidString.lowercased()
            let what = "\(event.className) \(event.kind.replacingOccurrences(of: "_", with: " "))"
            body += "<li data-testid=\"export-event\" data-event-id=\"\(event.id.uuidString.lowercased())\">"
            if let snapshot = event.snapshot {
                body += "<img data-testid=\"event-snapshot\" src=\"\(link(snapshot))\" alt=\"\(escape(what)) at \(escape(camera))\">"
            } else {
                body += "<div class=\"nosnap\">no snapshot</div>"
            }
            body += "<div><strong>\(escape(what))</strong><br>\(escape(camera))<br>\(escape(local(event.start, zone)))"
            if let end = event.end { body += " to \(escape(clock(end, zone)))" }
            body += String(format: "<br><span class=\"quiet\">confidence %.0f%%</span><br>", event.peakConfidence * 100)
            body += "<button type=\"button\" data-camera-id=\"\(event.cameraID.uuidString.lowercased())\" "
                + "data-at=\"\(milliseconds(event.start))\">Play</button></div></li>\n"
        }
        body += "</ol></section>\n</main>\n"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Ronin export \(escape(local(manifest.range.start, zone)))</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body)<script>\(script)</script>
            </body>
            </html>

            """
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1d232a;background:#f6f7f9}\
        h1{margin:.2rem 0}h2{border-bottom:1px solid #d5d9de;padding-bottom:.2rem}.quiet{color:#5c6670;font-size:.9em}\
        nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}\
        .clips{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:1rem}figure{margin:0}\
        figcaption{margin-bottom:.3rem;line-height:1.4}video{width:100%;aspect-ratio:4/3;background:#000;border-radius:4px}\
        ol.events{list-style:none;padding:0;display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.8rem}\
        ol.events li{background:#fff;border:1px solid #d5d9de;border-radius:6px;padding:.5rem;display:flex;flex-direction:column;gap:.4rem}\
        ol.events img{width:100%;border-radius:4px}.nosnap{height:80px;display:flex;align-items:center;justify-content:center;\
        background:#eceff2;color:#5c6670;border-radius:4px}button{align-self:flex-start}
        """

    /// Seeks the camera's video that holds an event's instant and plays it.
    static let script = """
        document.querySelectorAll('button[data-at]').forEach(function(b){b.addEventListener('click',function(){\
        var at=Number(b.dataset.at);var vs=document.querySelectorAll('video[data-camera-id="'+b.dataset.cameraId+'"]');\
        for(var i=0;i<vs.length;i++){var v=vs[i];if(Number(v.dataset.start)<=at&&at<Number(v.dataset.end)){\
        v.currentTime=Math.max(0,(at-Number(v.dataset.start))/1000);v.scrollIntoView({block:'center'});v.play();return;}}\
        b.textContent='No footage';b.disabled=true;});});
        """

    /// `2026-11-25 03:00:00` in `zone`.
    static func local(_ date: Date, _ zone: TimeZone) -> String {
        "\(LocalCalendar.dateString(date, in: zone)) \(clock(date, zone))"
    }

    static func clock(_ date: Date?, _ zone: TimeZone) -> String {
        guard let date else { return "" }
        return ExportFileName.clock(date, zone).replacingOccurrences(of: "-", with: ":")
    }

    static func milliseconds(_ date: Date?) -> String {
        guard let date else { return "0" }
        return String(Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }

    static func name(of path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    /// A relative URL for a relative path: each component percent-encoded.
    public static func link(_ path: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }.joined(separator: "/")
    }

    /// Text safe inside elements and quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
