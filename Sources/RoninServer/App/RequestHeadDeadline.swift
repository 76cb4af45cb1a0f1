import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Closes a connection whose first request has not been read within the idle timeout: one that
/// never sends anything, or trickles its request's header in a byte at a time.
///
/// With the WebSocket upgrade in the pipeline, Hummingbird's own idle handling starts only once a
/// first request's head has arrived (it is installed when the upgrade is declined), so without
/// this the first request of a connection could be held open forever. It sits right after the
/// HTTP decoder and leaves the pipeline as soon as a head is read; from then on Hummingbird's
/// idle timeout (or, on a live view socket, its pings) take over.
final class RequestHeadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var headRead = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startClock(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopClock()
    }

    func channelActive(context: ChannelHandlerContext) {
        startClock(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopClock()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let isHead: Bool
        if case .head = unwrapInboundIn(data) { isHead = true } else { isHead = false }
        context.fireChannelRead(data)
        if isHead, !headRead {
            headRead = true
            stopClock()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    private func startClock(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headRead else { return }
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func stopClock() {
        deadline?.cancel()
        deadline = nil
    }
}

/// A server child channel with a `RequestHeadDeadline` after its HTTP decoder.
struct RequestHeadDeadlineChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let timeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestHeadDeadline(timeout: timeout), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
