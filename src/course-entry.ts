// `vecnet/course` in Node: the course module (src/course/), with the backends registered as the main
// entry does. In a browser, package.json maps `vecnet/course` to dist/vecnet-course.browser.js, which
// takes the same names from the browser bundle.
import './index.js';

export * from './course/index.js';
