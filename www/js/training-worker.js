// The module worker that trains: the engine (engine.js) answering the page's session, so that
// training never blocks drawing.
import { createEngine, transferOf } from './engine.js';
import { answerRequests } from './worker-requests.js';

answerRequests(createEngine((message, transfer) => self.postMessage(message, transfer)), transferOf);
