// Ink imports react-devtools-core only when DEV=true; the bundle never ships devtools.
export default { initialize() {}, connectToDevTools() {} };
