// The room's keys live in the cockpit session (core); re-exported for the views and tests that name them here.
export { EMPTY_INPUT, roomKey, roomTyping, type RoomInput, type RoomKeyResult } from '../core/cockpit/roomKeys.js';
