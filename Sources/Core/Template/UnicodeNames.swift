/// Unicode character names for `\N{...}`, as Python's `unicodedata.lookup` reads them: names and
/// aliases in any case, except the algorithmic names (`CJK UNIFIED IDEOGRAPH-4E00`,
/// `HANGUL SYLLABLE GA`), which must be written exactly. Built once, on the first `\N{`.
enum UnicodeNames {
    static let table: [String: Unicode.Scalar] = build()

    /// The scalar named `name`, or nil.
    static func scalar(named name: String) -> Unicode.Scalar? {
        if let u = algorithmic(name) { return u }
        guard let u = table[name.uppercased()] else { return nil }
        if (0xAC00...0xD7A3).contains(u.value) && u.properties.name != name { return nil }
        return u
    }

    /// `PREFIX-HEX` names: the scalar whose name this is.
    static func algorithmic(_ name: String) -> Unicode.Scalar? {
        guard let dash = name.lastIndex(of: "-"), name[..<dash].hasSuffix("IDEOGRAPH") || name[..<dash].hasSuffix("CHARACTER"),
              let v = UInt32(name[name.index(after: dash)...], radix: 16),
              let u = Unicode.Scalar(v), u.properties.name == name else { return nil }
        return u
    }

    static func build() -> [String: Unicode.Scalar] {
        var d: [String: Unicode.Scalar] = [:]
        d.reserveCapacity(50_000)
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let p = u.properties
            if let n = p.name, !n.hasSuffix("-" + String(v, radix: 16, uppercase: true)) { d[n] = u }
            if let a = p.nameAlias { d[a] = u }
        }
        for line in aliases.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let v = UInt32(parts[0], radix: 16), let u = Unicode.Scalar(v) else { continue }
            for a in parts[1].split(separator: ";") { d[String(a)] = u }
        }
        for k in 1...256 {
            d["VS\(k)"] = Unicode.Scalar(k <= 16 ? 0xFE00 + UInt32(k - 1) : 0xE0100 + UInt32(k - 17))
        }
        return d
    }

    /// The control, alternate and abbreviated names Unicode gives characters besides their
    /// name (the C0 and C1 controls have no name of their own).
    static let aliases = """
        0000 NULL;NUL
        0001 START OF HEADING;SOH
        0002 START OF TEXT;STX
        0003 END OF TEXT;ETX
        0004 END OF TRANSMISSION;EOT
        0005 ENQUIRY;ENQ
        0006 ACKNOWLEDGE;ACK
        0007 ALERT;BEL
        0008 BACKSPACE;BS
        0009 CHARACTER TABULATION;HORIZONTAL TABULATION;HT;TAB
        000A LINE FEED;NEW LINE;END OF LINE;LF;NL;EOL
        000B LINE TABULATION;VERTICAL TABULATION;VT
        000C FORM FEED;FF
        000D CARRIAGE RETURN;CR
        000E SHIFT OUT;LOCKING-SHIFT ONE;SO
        000F SHIFT IN;LOCKING-SHIFT ZERO;SI
        0010 DATA LINK ESCAPE;DLE
        0011 DEVICE CONTROL ONE;DC1
        0012 DEVICE CONTROL TWO;DC2
        0013 DEVICE CONTROL THREE;DC3
        0014 DEVICE CONTROL FOUR;DC4
        0015 NEGATIVE ACKNOWLEDGE;NAK
        0016 SYNCHRONOUS IDLE;SYN
        0017 END OF TRANSMISSION BLOCK;ETB
        0018 CANCEL;CAN
        0019 END OF MEDIUM;EOM
        001A SUBSTITUTE;SUB
        001B ESCAPE;ESC
        001C INFORMATION SEPARATOR FOUR;FILE SEPARATOR;FS
        001D INFORMATION SEPARATOR THREE;GROUP SEPARATOR;GS
        001E INFORMATION SEPARATOR TWO;RECORD SEPARATOR;RS
        001F INFORMATION SEPARATOR ONE;UNIT SEPARATOR;US
        0020 SP
        007F DELETE;DEL
        0080 PADDING CHARACTER;PAD
        0081 HIGH OCTET PRESET;HOP
        0082 BREAK PERMITTED HERE;BPH
        0083 NO BREAK HERE;NBH
        0084 INDEX;IND
        0085 NEXT LINE;NEL
        0086 START OF SELECTED AREA;SSA
        0087 END OF SELECTED AREA;ESA
        0088 CHARACTER TABULATION SET;HORIZONTAL TABULATION SET;HTS
        0089 CHARACTER TABULATION WITH JUSTIFICATION;HORIZONTAL TABULATION WITH JUSTIFICATION;HTJ
        008A LINE TABULATION SET;VERTICAL TABULATION SET;VTS
        008B PARTIAL LINE FORWARD;PARTIAL LINE DOWN;PLD
        008C PARTIAL LINE BACKWARD;PARTIAL LINE UP;PLU
        008D REVERSE LINE FEED;REVERSE INDEX;RI
        008E SINGLE SHIFT TWO;SINGLE-SHIFT-2;SS2
        008F SINGLE SHIFT THREE;SINGLE-SHIFT-3;SS3
        0090 DEVICE CONTROL STRING;DCS
        0091 PRIVATE USE ONE;PRIVATE USE-1;PU1
        0092 PRIVATE USE TWO;PRIVATE USE-2;PU2
        0093 SET TRANSMIT STATE;STS
        0094 CANCEL CHARACTER;CCH
        0095 MESSAGE WAITING;MW
        0096 START OF GUARDED AREA;START OF PROTECTED AREA;SPA
        0097 END OF GUARDED AREA;END OF PROTECTED AREA;EPA
        0098 START OF STRING;SOS
        0099 SINGLE GRAPHIC CHARACTER INTRODUCER;SGC
        009A SINGLE CHARACTER INTRODUCER;SCI
        009B CONTROL SEQUENCE INTRODUCER;CSI
        009C STRING TERMINATOR;ST
        009D OPERATING SYSTEM COMMAND;OSC
        009E PRIVACY MESSAGE;PM
        009F APPLICATION PROGRAM COMMAND;APC
        00A0 NBSP
        00AD SHY
        034F CGJ
        180B FVS1
        180C FVS2
        180D FVS3
        180E MVS
        180F FVS4
        200B ZWSP
        200C ZWNJ
        200D ZWJ
        200E LRM
        200F RLM
        202A LRE
        202B RLE
        202C PDF
        202D LRO
        202E RLO
        202F NNBSP
        205F MMSP
        2060 WJ
        2066 LRI
        2067 RLI
        2068 FSI
        2069 PDI
        FEFF BYTE ORDER MARK;BOM;ZWNBSP
        """
}
