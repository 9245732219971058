// The script-tag bundle (`<script src=".../growthos.min.js">`): window.GrowthOS with the tracking
// client only (the Management client needs a secret key and has no place in a page).
import { Analytics, init } from './tracking/index.js';
import { VERSION } from './version.js';

const GrowthOS = { init, Analytics, VERSION };
export default GrowthOS;
