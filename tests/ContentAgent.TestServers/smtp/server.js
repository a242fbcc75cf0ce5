'use strict';

// A local SMTP server for ContentAgent's integration tests (driven by LocalSmtpServer.cs).
//
//   node server.js [--port N] [--user NAME --password SECRET] [--size BYTES]
//
// Listens on 127.0.0.1 only (port 0: a free port), no STARTTLS. With --user/--password, AUTH PLAIN/LOGIN is required.
// stdout: one JSON object per line. The first is {"type":"ready","ready":true,"port":N}; then one line per event:
// connect, auth, mail, rcpt, data-start, data-chunk, message (a stored message: envelope, Message-ID, subject, text and
// HTML parts, X-ContentAgent-* headers, size, received-at ms), data-refused, dropped, close, ack, error. Every event has
// a "seq" (one counter, in the order the server saw things) and "at" (ms since the epoch).
// stdin: one JSON command per line, each answered by {"type":"ack","id":...} once it is in force:
//   {"id":1,"cmd":"reject","address":"x@y"}              RCPT TO of that address gets 550
//   {"id":2,"cmd":"fail","count":2,"code":451,"stage":"mail"}   the next N transactions get CODE at stage mail|rcpt|data
//   {"id":3,"cmd":"drop","stage":"data"}                 the next transaction's connection is destroyed at stage
//                                                        mail (MAIL FROM), data (the DATA command, before 354) or
//                                                        data-end (the whole message and its final dot arrived, no reply)
//   {"id":4,"cmd":"delay","ms":500,"count":1,"stage":"data"}   the next N replies wait MS: to MAIL FROM (stage mail), or
//                                                        to the final dot (stage data, the default; the message is stored first)
//   {"id":5,"cmd":"disconnect-all"}                      destroys every open connection (a server that dropped idle clients)
//   {"id":6,"cmd":"reset"}                               clears every fault
//   {"id":7,"cmd":"ping"}                                just the ack
// The process exits when stdin closes.

const { parseArgs } = require('node:util');
const readline = require('node:readline');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const { values: args } = parseArgs({
    options: {
        port: { type: 'string', default: '0' },
        user: { type: 'string' },
        password: { type: 'string' },
        size: { type: 'string', default: String(10 * 1024 * 1024) },
    },
    allowPositionals: true,
});

let seq = 0;
function emit(type, fields) {
    process.stdout.write(JSON.stringify({ type, seq: ++seq, at: Date.now(), ...fields }) + '\n');
}

const faults = {
    rejected: new Set(),
    fail: [], // { stage, code } per transaction, in order
    drop: [], // stage per transaction, in order
    delay: [], // ms per reply to the final dot, in order
    delayMail: [], // ms per reply to MAIL FROM, in order
};

// The fault a transaction gets is decided once, at MAIL FROM, so a transaction refused at RCPT still uses up its fault.
function takeFaults(session) {
    session.fault = {
        fail: faults.fail.shift() || null,
        drop: faults.drop.shift() || null,
        delayMail: faults.delayMail.shift() || 0,
    };
}

function connectionOf(session) {
    for (const connection of server.connections) {
        if (connection.id === session.id) {
            return connection;
        }
    }
    return null;
}

function drop(session, stage) {
    emit('dropped', { session: session.id, stage });
    const connection = connectionOf(session);
    if (connection && connection._socket) {
        connection._socket.destroy();
    }
}

function smtpError(code, text) {
    const error = new Error(text);
    error.responseCode = code;
    return error;
}

function failure(code) {
    return code >= 500
        ? smtpError(code, '5.7.1 Refused by the test server')
        : smtpError(code, '4.3.0 Temporary failure at the test server, try again later');
}

function headerText(parsed, name) {
    const value = parsed.headers.get(name);
    if (value === undefined || value === null) {
        return null;
    }
    if (typeof value === 'string') {
        return value;
    }
    if (value instanceof Date) {
        return value.toISOString();
    }
    return value.text || value.value || String(value);
}

function mailFrom(address, session, callback) {
    const { fail, drop: dropAt } = session.fault;
    if (dropAt === 'mail') {
        return drop(session, 'mail');
    }
    if (fail && fail.stage === 'mail') {
        emit('mail', { session: session.id, from: address.address, accepted: false, code: fail.code });
        return callback(failure(fail.code));
    }
    emit('mail', { session: session.id, from: address.address, args: address.args || {}, accepted: true, code: 250 });
    callback();
}

const auth = args.user !== undefined;
const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    size: Number(args.size),
    logger: false,
    banner: 'ContentAgent test SMTP server',

    onConnect(session, callback) {
        emit('connect', { session: session.id, remoteAddress: session.remoteAddress });
        // Replies go out at once (no Nagle delay behind the client's delayed ACKs).
        const connection = connectionOf(session);
        if (connection && connection._socket && connection._socket.setNoDelay) {
            connection._socket.setNoDelay(true);
        }
        callback();
    },

    onAuth(credentials, session, callback) {
        const ok = credentials.username === args.user && credentials.password === args.password;
        emit('auth', { session: session.id, user: credentials.username, method: credentials.method, ok });
        if (!ok) {
            return callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        }
        callback(null, { user: credentials.username });
    },

    onMailFrom(address, session, callback) {
        takeFaults(session);
        if (session.fault.delayMail) {
            return setTimeout(() => mailFrom(address, session, callback), session.fault.delayMail);
        }
        mailFrom(address, session, callback);
    },

    onRcptTo(address, session, callback) {
        const { fail } = session.fault;
        if (faults.rejected.has(address.address.toLowerCase())) {
            emit('rcpt', { session: session.id, to: address.address, accepted: false, code: 550 });
            return callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
        }
        if (fail && fail.stage === 'rcpt') {
            emit('rcpt', { session: session.id, to: address.address, accepted: false, code: fail.code });
            return callback(failure(fail.code));
        }
        emit('rcpt', { session: session.id, to: address.address, accepted: true, code: 250 });
        callback();
    },

    onData(stream, session, callback) {
        const { fail, drop: dropAt } = session.fault;
        emit('data-start', { session: session.id });
        if (dropAt === 'data') {
            // Before the 354: the client never gets to send the content.
            return drop(session, 'data');
        }

        const chunks = [];
        let bytes = 0;
        stream.on('data', chunk => {
            chunks.push(chunk);
            bytes += chunk.length;
            emit('data-chunk', { session: session.id, bytes });
        });
        stream.on('error', () => { });
        stream.on('end', async () => {
            if (dropAt === 'data-end') {
                // The final dot arrived; the client never hears back.
                return drop(session, 'data-end');
            }
            if (fail && fail.stage === 'data') {
                emit('data-refused', { session: session.id, code: fail.code, size: bytes });
                return callback(failure(fail.code));
            }

            const raw = Buffer.concat(chunks);
            let parsed;
            try {
                parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
            } catch (error) {
                emit('error', { message: `could not parse a message: ${error.message}` });
                return callback(smtpError(554, '5.6.0 Unparseable message'));
            }

            emit('message', {
                session: session.id,
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                to: session.envelope.rcptTo.map(r => r.address),
                user: session.user || null,
                messageId: parsed.messageId || null,
                subject: parsed.subject || null,
                headerFrom: parsed.from ? parsed.from.text : null,
                headerTo: parsed.to ? (Array.isArray(parsed.to) ? parsed.to.map(t => t.text).join(', ') : parsed.to.text) : null,
                date: headerText(parsed, 'date'),
                contentType: headerText(parsed, 'content-type'),
                key: headerText(parsed, 'x-contentagent-key'),
                scheduled: headerText(parsed, 'x-contentagent-scheduled'),
                text: typeof parsed.text === 'string' ? parsed.text : null,
                html: typeof parsed.html === 'string' ? parsed.html : null,
                size: raw.length,
                raw: raw.toString('utf8'),
                receivedAt: Date.now(),
            });

            const wait = faults.delay.shift();
            if (wait) {
                setTimeout(() => callback(null, 'OK: stored after a delay'), wait);
            } else {
                callback(null, 'OK: stored');
            }
        });
    },

    onClose(session) {
        emit('close', { session: session.id });
    },
});

server.on('error', error => emit('error', { message: error.message }));

function handle(line) {
    let command;
    try {
        command = JSON.parse(line);
    } catch {
        return emit('error', { message: `not a JSON command: ${line}` });
    }
    const count = Math.max(1, Number(command.count) || 1);
    switch (command.cmd) {
        case 'reject':
            faults.rejected.add(String(command.address).toLowerCase());
            break;
        case 'fail':
            for (let i = 0; i < count; i++) {
                faults.fail.push({ stage: command.stage || 'mail', code: Number(command.code) || 451 });
            }
            break;
        case 'drop':
            for (let i = 0; i < count; i++) {
                faults.drop.push(command.stage || 'data');
            }
            break;
        case 'delay':
            for (let i = 0; i < count; i++) {
                (command.stage === 'mail' ? faults.delayMail : faults.delay).push(Number(command.ms) || 0);
            }
            break;
        case 'disconnect-all':
            for (const connection of server.connections) {
                emit('dropped', { session: connection.id, stage: 'idle' });
                if (connection._socket) {
                    connection._socket.destroy();
                }
            }
            break;
        case 'reset':
            faults.rejected.clear();
            faults.fail.length = 0;
            faults.drop.length = 0;
            faults.delay.length = 0;
            faults.delayMail.length = 0;
            break;
        case 'ping':
            break;
        default:
            return emit('error', { id: command.id, message: `unknown command: ${command.cmd}` });
    }
    emit('ack', { id: command.id });
}

server.listen(Number(args.port), '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ type: 'ready', ready: true, port: server.server.address().port }) + '\n');
    const input = readline.createInterface({ input: process.stdin });
    input.on('line', line => line.trim() && handle(line));
    input.on('close', () => {
        server.close(() => process.exit(0));
        for (const connection of server.connections) {
            if (connection._socket) {
                connection._socket.destroy();
            }
        }
        setTimeout(() => process.exit(0), 1000).unref();
    });
});
