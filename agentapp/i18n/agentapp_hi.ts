<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
    <context>
        <name>DispositionForm</name>
        <message>
            <source>draft, not saved yet</source>
            <translation>ड्राफ़्ट, अभी सहेजा नहीं गया</translation>
        </message>
        <message>
            <source>saved, waiting to send ({reason})</source>
            <translation>सहेजा गया, भेजने की प्रतीक्षा में ({reason})</translation>
        </message>
        <message>
            <source>saved, sending</source>
            <translation>सहेजा गया, भेजा जा रहा है</translation>
        </message>
        <message>
            <source>sent</source>
            <translation>भेजा गया</translation>
        </message>
        <message>
            <source>not accepted: {reason}</source>
            <translation>स्वीकार नहीं हुआ: {reason}</translation>
        </message>
        <message>
            <source>not accepted</source>
            <translation>स्वीकार नहीं हुआ</translation>
        </message>
        <message>
            <source>none</source>
            <translation>कोई नहीं</translation>
        </message>
        <message>
            <source>Disposition</source>
            <translation>डिस्पोज़िशन</translation>
        </message>
        <message>
            <source>Remark</source>
            <translation>टिप्पणी</translation>
        </message>
        <message>
            <source>Remark (optional)</source>
            <translation>टिप्पणी (वैकल्पिक)</translation>
        </message>
        <message>
            <source>Save disposition</source>
            <translation>डिस्पोज़िशन सहेजें</translation>
        </message>
        <message>
            <source> (the account's statuses are not loaded yet: waiting for the server)</source>
            <translation> (खाते के स्टेटस अभी लोड नहीं हुए हैं: सर्वर की प्रतीक्षा है)</translation>
        </message>
        <message>
            <source>Disposition: {words}</source>
            <translation>डिस्पोज़िशन: {words}</translation>
        </message>
        <message>
            <source>Disposition state: {words}</source>
            <translation>डिस्पोज़िशन की स्थिति: {words}</translation>
        </message>
        <message>
            <source>Edit and retry</source>
            <translation>बदलें और फिर भेजें</translation>
        </message>
        <message>
            <source>Edit and retry disposition</source>
            <translation>डिस्पोज़िशन बदलें और फिर भेजें</translation>
        </message>
        <message>
            <source>Choose a disposition first (press its number).</source>
            <translation>पहले डिस्पोज़िशन चुनें (उसका नंबर दबाएँ)।</translation>
        </message>
        <message>
            <source>Wrap-up took {time}</source>
            <translation>रैप-अप में {time} लगे</translation>
        </message>
        <message>
            <source>Wrap-up {time}</source>
            <translation>रैप-अप {time}</translation>
        </message>
        <message>
            <source>After-call work: {time}</source>
            <translation>कॉल के बाद का काम: {time}</translation>
        </message>
        <message>
            <source>, done</source>
            <translation>, पूरा हुआ</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>No calls yet. Type a number and press Enter, or click a tel: link in your browser or CRM.</source>
            <translation>अभी तक कोई कॉल नहीं। नंबर लिखकर Enter दबाएँ, या अपने ब्राउज़र या CRM में किसी tel: लिंक पर क्लिक करें।</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>शुरू हो रहा है…</translation>
        </message>
        <message>
            <source>Call cards</source>
            <translation>कॉल कार्ड</translation>
        </message>
        <message>
            <source>&amp;Sign in to IVR Solutions…</source>
            <translation>IVR Solutions में साइन इन करें… (&amp;S)</translation>
        </message>
        <message>
            <source>Sign &amp;out</source>
            <translation>साइन आउट करें (&amp;O)</translation>
        </message>
        <message>
            <source>Se&amp;ttings…</source>
            <translation>सेटिंग्स… (&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>बाहर निकलें (&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Focus number field</source>
            <translation>नंबर फ़ील्ड पर जाएँ (&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Call</source>
            <translation>कॉल करें (&amp;C)</translation>
        </message>
        <message>
            <source>Dial number from &amp;clipboard</source>
            <translation>क्लिपबोर्ड से नंबर डायल करें (&amp;C)</translation>
        </message>
        <message>
            <source>C&amp;lear number</source>
            <translation>नंबर मिटाएँ (&amp;L)</translation>
        </message>
        <message>
            <source>Clear the number field. A call already placed goes on: reject it on your phone.</source>
            <translation>नंबर फ़ील्ड खाली करें। जो कॉल लग चुकी है वह चलती रहेगी: उसे अपने फ़ोन पर अस्वीकार करें।</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>फ़ाइल (&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Call</source>
            <comment>menu</comment>
            <translation>कॉल (&amp;C)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>दृश्य (&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Compact sidebar</source>
            <translation>कॉम्पैक्ट साइडबार (&amp;C)</translation>
        </message>
        <message>
            <source>Always on &amp;top</source>
            <translation>हमेशा सबसे ऊपर (&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Audio check…</source>
            <translation>ऑडियो जाँच… (&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>टूल्स (&amp;T)</translation>
        </message>
        <message>
            <source>Notice: {text}</source>
            <translation>सूचना: {text}</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation>सूचना</translation>
        </message>
        <message>
            <source>Demo mode: you are a demo agent on a demo line; calls go to the built-in sandbox and no real phone rings.</source>
            <translation>डेमो मोड: आप एक डेमो लाइन पर डेमो एजेंट हैं; कॉल ऐप के अपने सैंडबॉक्स में जाती हैं और कोई असली फ़ोन नहीं बजता।</translation>
        </message>
        <message>
            <source>Connect your IVR Solutions account…</source>
            <translation>अपना IVR Solutions खाता जोड़ें…</translation>
        </message>
    </context>
    <context>
        <name>ScreenPopWindow</name>
        <message>
            <source>Call back</source>
            <translation>वापस कॉल करें</translation>
        </message>
        <message>
            <source>History</source>
            <translation>इतिहास</translation>
        </message>
        <message>
            <source>Save contact</source>
            <translation>संपर्क सहेजें</translation>
        </message>
        <message>
            <source>Open in CRM</source>
            <translation>CRM में खोलें</translation>
        </message>
        <message>
            <source>Disposition…</source>
            <translation>डिस्पोज़िशन…</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>बंद करें</translation>
        </message>
        <message>
            <source>Last calls</source>
            <translation>पिछली कॉल</translation>
        </message>
        <message>
            <source>Unknown caller</source>
            <translation>अज्ञात कॉलर</translation>
        </message>
        <message>
            <source>Number: {number}</source>
            <translation>नंबर: {number}</translation>
        </message>
        <message>
            <source>No earlier calls.</source>
            <translation>पहले कोई कॉल नहीं हुई।</translation>
        </message>
        <message>
            <source>Last calls: {calls}</source>
            <translation>पिछली कॉल: {calls}</translation>
        </message>
        <message>
            <source>none</source>
            <translation>कोई नहीं</translation>
        </message>
        <message>
            <source>Last remark: {remark}</source>
            <translation>पिछली टिप्पणी: {remark}</translation>
        </message>
        <message>
            <source>Edit contact</source>
            <translation>संपर्क बदलें</translation>
        </message>
        <message>
            <source>Edit contact {name}</source>
            <translation>संपर्क बदलें: {name}</translation>
        </message>
        <message>
            <source>Look up a caller</source>
            <translation>कॉलर खोजें</translation>
        </message>
        <message>
            <source>Phone number to look up:</source>
            <translation>खोजने के लिए फ़ोन नंबर:</translation>
        </message>
    </context>
    <context>
        <name>StartingShell</name>
        <message>
            <source>Starting… not connected yet.</source>
            <translation>शुरू हो रहा है… अभी कनेक्ट नहीं हुआ।</translation>
        </message>
        <message>
            <source>Status: starting, not connected yet</source>
            <translation>स्थिति: शुरू हो रहा है, अभी कनेक्ट नहीं हुआ</translation>
        </message>
        <message>
            <source>{app}, starting</source>
            <translation>{app}, शुरू हो रहा है</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>शुरू हो रहा है…</translation>
        </message>
    </context>
</TS>
