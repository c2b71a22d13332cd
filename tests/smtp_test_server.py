#!/usr/bin/python3
"""A real SMTP server for the mail tests and the mail benchmark (aiosmtpd, Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a free port and prints "PORT <n>" once it accepts connections. Each
message it accepts is written as one JSON file ({"mail_from", "rcpt_tos", "data"}) to --dir,
atomically (a temporary name, then a rename), named by arrival order. It can be told to refuse
recipients: --refuse-permanent ADDR (550) and --refuse-temporary ADDR (451), each repeatable,
and to answer each message only after --delay-ms (a slow server, for the kill tests).
--no-store counts messages without writing them (the benchmark); the count is in --dir/count
when the server stops (SIGTERM).
"""
import argparse
import asyncio
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, args):
        self.args = args
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.args.refuse_permanent:
            return "550 5.1.1 No such user here"
        if address in self.args.refuse_temporary:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.delay_ms:
            await asyncio.sleep(self.args.delay_ms / 1000.0)
        self.count += 1
        if not self.args.no_store:
            name = os.path.join(self.args.dir, "%06d.json" % self.count)
            data = envelope.original_content.decode("utf-8", "replace") if envelope.original_content else ""
            with open(name + ".tmp", "w", encoding="utf-8") as f:
                json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "data": data}, f)
            os.replace(name + ".tmp", name)
        return "250 2.0.0 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--refuse-permanent", action="append", default=[])
    parser.add_argument("--refuse-temporary", action="append", default=[])
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--no-store", action="store_true")
    args = parser.parse_args()
    handler = Handler(args)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, decode_data=False, hostname="smtp.test"), "127.0.0.1", 0))
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)

    def finish():
        with open(os.path.join(args.dir, "count"), "w") as f:
            f.write(str(handler.count))
        loop.stop()

    loop.add_signal_handler(signal.SIGTERM, finish)
    loop.add_signal_handler(signal.SIGINT, finish)
    loop.run_forever()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
